package dev.pipeline.channel;

import static dev.pipeline.channel.TestChannels.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipeline.channel.TestChannels.Body;
import dev.pipeline.channel.TestChannels.Workers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The memory consistency effects stated on {@link Channel}, {@link Sender}, {@link Receiver} and
 * {@link Select}, on every flavour: what a thread wrote to plain (non-volatile) fields before it
 * sent an item is seen by the thread that receives the item, for every form of send and of receive
 * in turn; what it wrote before it closed its sender, or failed the channel, is seen by the thread
 * whose receive reports it; and on a rendezvous channel, what the receiving thread wrote before its
 * receive is seen by the sender once its send returns.
 *
 * <p>A test cannot prove a memory-model guarantee (on x86 nearly any code passes it); these
 * document the contract next to the other contract tests, and would catch an implementation that
 * hands an item over before it is published. The deterministic schedule exploration of the channel
 * core is {@code ChannelModelCheckTest}.
 */
@Timeout(10)
class HappensBeforeContractTest {

    private static final int ITEMS = 5_000;
    private static final int CHANNELS = 300;
    private static final Duration LONG = Duration.ofSeconds(10);

    /** An item whose fields are plain: only the channel's hand-off makes them visible. */
    private static final class Message {
        int index;
        long payload;
    }

    /** Written with plain stores by one thread, read by another. */
    private static final class Progress {
        int last = -1;
    }

    private enum SendForm {
        SEND,
        TRY_SEND,
        TIMED_SEND,
        SEND_ALL,
        SELECT_SEND
    }

    private enum ReceiveForm {
        RECEIVE,
        TRY_RECEIVE,
        TIMED_RECEIVE,
        RECEIVE_BATCH,
        DRAIN_TO,
        SELECT_RECEIVE,
        ITERATOR
    }

    /** Every receive form that can report "closed" ({@code drainTo} only returns 0). */
    private static final ReceiveForm[] CLOSED_FORMS = {
        ReceiveForm.RECEIVE,
        ReceiveForm.TRY_RECEIVE,
        ReceiveForm.TIMED_RECEIVE,
        ReceiveForm.RECEIVE_BATCH,
        ReceiveForm.SELECT_RECEIVE,
        ReceiveForm.ITERATOR
    };

    @AllCapacities
    void whatASenderWroteBeforeSendingIsSeenByTheReceiverOfTheItem(int capacity) throws Exception {
        Channel<Message> ch = create(capacity);
        Sender<Message> tx = ch.sender();
        Receiver<Message> rx = ch.receiver();
        int[] written = new int[ITEMS];
        Progress progress = new Progress();
        try (rx;
                Workers w = new Workers()) {
            w.start(
                    "sender",
                    () -> {
                        try (tx) {
                            for (int i = 0; i < ITEMS; i++) {
                                Message m = new Message();
                                m.index = i;
                                m.payload = payloadOf(i);
                                written[i] = i + 1;
                                progress.last = i;
                                send(tx, m, sendForm(i, capacity));
                            }
                        }
                    });
            Iterator<Message> it = rx.iterator();
            for (int i = 0; i < ITEMS; i++) {
                Message m = receive(rx, it, receiveForm(i));
                assertThat(m.index).isEqualTo(i);
                assertThat(m.payload).isEqualTo(payloadOf(i));
                assertThat(written[i]).isEqualTo(i + 1);
                assertThat(progress.last).isGreaterThanOrEqualTo(i);
            }
            w.joinAll();
        }
    }

    @Test
    void onARendezvousWhatTheReceiverWroteBeforeReceivingIsSeenByTheSenderOnceItsSendReturns()
            throws Exception {
        Channel<Message> ch = Channel.rendezvous();
        Sender<Message> tx = ch.sender();
        Receiver<Message> rx = ch.receiver();
        int[] written = new int[ITEMS];
        Progress progress = new Progress();
        try (Workers w = new Workers()) {
            w.start(
                    "receiver",
                    () -> {
                        try (rx) {
                            Iterator<Message> it = rx.iterator();
                            for (int i = 0; i < ITEMS; i++) {
                                written[i] = i + 1;
                                progress.last = i;
                                assertThat(receive(rx, it, receiveForm(i)).index).isEqualTo(i);
                            }
                        }
                    });
            try (tx) {
                for (int i = 0; i < ITEMS; i++) {
                    Message m = new Message();
                    m.index = i;
                    send(tx, m, sendForm(i, 0));
                    assertThat(written[i]).isEqualTo(i + 1);
                    assertThat(progress.last).isGreaterThanOrEqualTo(i);
                }
            }
            w.joinAll();
        }
    }

    @AllCapacities
    void whatEverySenderWroteBeforeClosingIsSeenByTheReceiveThatReportsClosed(int capacity)
            throws Exception {
        List<Channel<Integer>> channels = channels(capacity);
        List<Sender<Integer>> first = new ArrayList<>();
        List<Sender<Integer>> second = new ArrayList<>();
        for (Channel<Integer> ch : channels) {
            first.add(ch.sender());
            second.add(ch.sender().copy());
        }
        int[] writtenByFirst = new int[CHANNELS];
        int[] writtenBySecond = new int[CHANNELS];
        try (Workers w = new Workers()) {
            w.start("first-closer", () -> writeThenClose(writtenByFirst, first));
            w.start("second-closer", () -> writeThenClose(writtenBySecond, second));
            for (int k = 0; k < CHANNELS; k++) {
                Receiver<Integer> rx = channels.get(k).receiver();
                assertThat(causeReported(rx, CLOSED_FORMS[k % CLOSED_FORMS.length])).isNull();
                assertThat(writtenByFirst[k]).isEqualTo(k + 1);
                assertThat(writtenBySecond[k]).isEqualTo(k + 1);
                rx.close();
            }
            w.joinAll();
        }
    }

    @AllCapacities
    void whatASenderWroteBeforeFailingIsSeenByTheReceiveThatReportsTheFailure(int capacity)
            throws Exception {
        List<Channel<Integer>> channels = channels(capacity);
        List<Sender<Integer>> senders = new ArrayList<>();
        List<RuntimeException> causes = new ArrayList<>();
        for (Channel<Integer> ch : channels) {
            senders.add(ch.sender());
            causes.add(new RuntimeException("failure of " + ch.name()));
        }
        int[] written = new int[CHANNELS];
        try (Workers w = new Workers()) {
            w.start(
                    "failer",
                    () -> {
                        for (int k = 0; k < CHANNELS; k++) {
                            written[k] = k + 1;
                            senders.get(k).fail(causes.get(k));
                        }
                    });
            for (int k = 0; k < CHANNELS; k++) {
                Receiver<Integer> rx = channels.get(k).receiver();
                assertThat(causeReported(rx, CLOSED_FORMS[k % CLOSED_FORMS.length]))
                        .isSameAs(causes.get(k));
                assertThat(written[k]).isEqualTo(k + 1);
                rx.close();
            }
            w.joinAll();
        }
    }

    // ------------------------------------------------------------------ the forms, in turn

    /**
     * The form that sends item {@code i}. On a rendezvous channel {@code trySend} and a select's
     * send clause complete only by handing the item to a parked receiver, which {@code tryReceive}
     * and {@code drainTo} never are; for those pairs the item is sent with {@code send}.
     */
    private static SendForm sendForm(int i, int capacity) {
        SendForm form = SendForm.values()[i % SendForm.values().length];
        ReceiveForm receiving = receiveForm(i);
        boolean handOffOnly = form == SendForm.TRY_SEND || form == SendForm.SELECT_SEND;
        boolean pollOnly =
                receiving == ReceiveForm.TRY_RECEIVE || receiving == ReceiveForm.DRAIN_TO;
        return capacity == 0 && handOffOnly && pollOnly ? SendForm.SEND : form;
    }

    /** The form that receives item {@code i}: every pair of forms meets within 35 items. */
    private static ReceiveForm receiveForm(int i) {
        int sendForms = SendForm.values().length;
        return ReceiveForm.values()[(i / sendForms) % ReceiveForm.values().length];
    }

    private static void send(Sender<Message> tx, Message m, SendForm form)
            throws InterruptedException {
        switch (form) {
            case SEND -> tx.send(m);
            case TRY_SEND -> {
                SendResult<Message> r;
                while ((r = tx.trySend(m)) instanceof SendResult.Full<Message>) {
                    Thread.yield();
                }
                assertThat(r).isEqualTo(SendResult.sent());
            }
            case TIMED_SEND -> assertThat(tx.send(m, LONG)).isEqualTo(SendResult.sent());
            case SEND_ALL -> assertThat(tx.sendAll(List.of(m))).isEqualTo(1);
            case SELECT_SEND ->
                    assertThat(Select.<String>create().onSend(tx, m, () -> "sent").select())
                            .isEqualTo("sent");
        }
    }

    private static Message receive(Receiver<Message> rx, Iterator<Message> it, ReceiveForm form)
            throws InterruptedException {
        return switch (form) {
            case RECEIVE -> rx.receive();
            case TRY_RECEIVE -> {
                ReceiveResult<Message> r;
                while ((r = rx.tryReceive()) instanceof ReceiveResult.Empty<Message>) {
                    Thread.yield();
                }
                yield received(r);
            }
            case TIMED_RECEIVE -> received(rx.receive(LONG));
            case RECEIVE_BATCH -> rx.receiveBatch(1).get(0);
            case DRAIN_TO -> {
                List<Message> sink = new ArrayList<>(1);
                while (rx.drainTo(sink, 1) == 0) {
                    Thread.yield();
                }
                yield sink.get(0);
            }
            case SELECT_RECEIVE -> Select.<Message>create().onReceive(rx, m -> m).select();
            case ITERATOR -> it.next();
        };
    }

    private static Message received(ReceiveResult<Message> r) {
        if (r instanceof ReceiveResult.Received<Message> got) {
            return got.value();
        }
        throw new AssertionError("expected an item, got " + r);
    }

    /**
     * Receives from a channel that holds no item, by {@code form}, until it reports "closed";
     * returns the failure it reports, or null when every sender closed.
     */
    private static Throwable causeReported(Receiver<Integer> rx, ReceiveForm form)
            throws Exception {
        return switch (form) {
            case RECEIVE -> causeThrown(rx::receive);
            case TRY_RECEIVE -> {
                ReceiveResult<Integer> r;
                while ((r = rx.tryReceive()) instanceof ReceiveResult.Empty<Integer>) {
                    Thread.yield();
                }
                yield closedCause(r);
            }
            case TIMED_RECEIVE -> closedCause(rx.receive(LONG));
            case RECEIVE_BATCH -> causeThrown(() -> rx.receiveBatch(1));
            case SELECT_RECEIVE ->
                    causeThrown(() -> Select.<Integer>create().onReceive(rx, v -> v).select());
            case ITERATOR -> {
                try {
                    assertThat(rx.iterator().hasNext()).as("the iteration ends").isFalse();
                    yield null;
                } catch (ChannelClosedException e) {
                    yield e.getCause();
                }
            }
            case DRAIN_TO -> throw new IllegalArgumentException("drainTo cannot report closed");
        };
    }

    private static Throwable causeThrown(Body receive) throws Exception {
        try {
            receive.run();
        } catch (ChannelClosedException e) {
            return e.getCause();
        }
        throw new AssertionError("the receive did not report closed");
    }

    private static Throwable closedCause(ReceiveResult<Integer> r) {
        if (r instanceof ReceiveResult.Closed<Integer> closed) {
            return closed.cause();
        }
        throw new AssertionError("expected closed, got " + r);
    }

    private static List<Channel<Integer>> channels(int capacity) {
        List<Channel<Integer>> channels = new ArrayList<>();
        for (int k = 0; k < CHANNELS; k++) {
            channels.add(create(capacity));
        }
        return channels;
    }

    private static void writeThenClose(int[] written, List<Sender<Integer>> senders) {
        for (int k = 0; k < senders.size(); k++) {
            written[k] = k + 1;
            senders.get(k).close();
        }
    }

    private static long payloadOf(int i) {
        return i * 0x9E3779B97F4A7C15L;
    }
}
