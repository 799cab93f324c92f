package dev.pipeline;

/**
 * An item a stage could not process, sent to the dead-letter channel of {@link
 * ErrorPolicy#deadLetter}.
 *
 * @param item the input item the stage failed on
 * @param error the exception the stage's function threw
 * @param stage the stage's name
 * @param attempt how many times the function was tried on the item (1 unless retried)
 */
public record DeadLetter(Object item, Throwable error, String stage, int attempt) {}
