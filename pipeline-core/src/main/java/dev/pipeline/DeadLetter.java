package dev.pipeline;

/**
 * An item a stage could not process, sent to the dead-letter channel of {@link
 * ErrorPolicy#deadLetter} or {@link ErrorPolicy.Retry#thenDeadLetter} once every try on it failed.
 *
 * <pre>{@code
 * Channel<DeadLetter<String>> dead = Channel.unbounded();
 * // ... .map("parse", Json::parse).onError(ErrorPolicy.deadLetter(dead.sender())) ...
 * for (DeadLetter<String> d : dead.receiver()) {
 *     log.warn("{} failed on {} after {} tries", d.stage(), d.item(), d.attempt(), d.error());
 * }
 * }</pre>
 *
 * @param item the input item the stage failed on
 * @param error the exception of the last try (those of earlier tries suppressed in it)
 * @param stage the stage's name in the run
 * @param attempt how many times the function was tried on the item: 1 unless retried, else the
 *     retry's {@code maxAttempts}
 * @param <T> the stage's input type
 */
public record DeadLetter<T>(T item, Throwable error, String stage, int attempt) {}
