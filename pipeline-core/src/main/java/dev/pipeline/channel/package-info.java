/**
 * Typed channels: the primitive that joins the stages of a pipeline.
 *
 * <p>A {@link dev.pipeline.channel.Channel} is created with a flavour ({@code bounded(n)}, {@code
 * rendezvous()}, {@code unbounded()}) and hands out one {@link dev.pipeline.channel.Sender} and one
 * {@link dev.pipeline.channel.Receiver}; both can be copied. The channel closes for receiving when
 * every sender handle is closed, and sends fail (handing the value back) when every receiver handle
 * is closed. {@link dev.pipeline.channel.Select} waits on several channels at once.
 *
 * <p>Non-blocking and timed calls return sealed results ({@link
 * dev.pipeline.channel.SendResult}, {@link dev.pipeline.channel.ReceiveResult}) that tell "full" or
 * "empty" from "closed". Blocking calls throw {@link java.lang.InterruptedException} and leave the
 * channel as if they had not been called; they report closure with {@link
 * dev.pipeline.channel.ChannelClosedException}.
 *
 * <p>This package holds the public API only; the implementations live in the non-exported {@code
 * dev.pipeline.internal.channel} package.
 */
package dev.pipeline.channel;
