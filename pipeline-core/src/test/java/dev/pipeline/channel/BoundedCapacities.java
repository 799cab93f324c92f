package dev.pipeline.channel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test once per flavour that can be full, so a send can block: rendezvous (0) and bounded
 * 1, 2, 16, 1024.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "capacity {0}")
@ValueSource(ints = {0, 1, 2, 16, 1024})
@interface BoundedCapacities {}
