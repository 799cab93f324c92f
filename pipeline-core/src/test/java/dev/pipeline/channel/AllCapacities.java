package dev.pipeline.channel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test once per channel flavour: rendezvous (0), bounded 1, 2, 16, 1024 and unbounded
 * ({@link Channel#UNBOUNDED}). Build the channel with {@link TestChannels#create(int)}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "capacity {0}")
@ValueSource(ints = {0, 1, 2, 16, 1024, Channel.UNBOUNDED})
@interface AllCapacities {}
