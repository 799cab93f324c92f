package dev.pipeline.channel;

/**
 * A snapshot of a channel's counters, for insight into a running pipeline. Values are read without
 * stopping the channel, so under load they are each exact but not taken at one instant.
 *
 * @param name the channel's name
 * @param capacity the capacity: 0 for a rendezvous channel, {@link Channel#UNBOUNDED} for an
 *     unbounded one
 * @param length items buffered now
 * @param highWaterMark the largest length seen (sampled: exact when the channel was ever full)
 * @param sent items accepted by sends so far
 * @param received items taken by receives so far (not those released when the last receiver
 *     closed, ADR 13)
 * @param sendBlockedNanos total time senders spent waiting for room
 * @param receiveBlockedNanos total time receivers spent waiting for items
 * @param openSenders sender handles still open
 * @param openReceivers receiver handles still open
 * @param failed whether the channel was closed with an error
 */
public record ChannelStats(
        String name,
        int capacity,
        long length,
        long highWaterMark,
        long sent,
        long received,
        long sendBlockedNanos,
        long receiveBlockedNanos,
        int openSenders,
        int openReceivers,
        boolean failed) {

    /**
     * Whether the channel takes no more items because every sender is closed or it was failed:
     * receivers drain what is buffered, then see "closed".
     *
     * @return {@code true} if no sender is open or the channel was failed
     */
    public boolean closedForSending() {
        return openSenders == 0 || failed;
    }

    /**
     * Whether every receiver is closed: sends fail and hand their item back.
     *
     * @return {@code true} if no receiver is open
     */
    public boolean closedForReceiving() {
        return openReceivers == 0;
    }
}
