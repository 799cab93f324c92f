package dev.pipeline.kafka;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands tests the in-process broker shared by the whole surefire JVM:
 * {@code @ExtendWith(KafkaBroker.class)} on a class, then an {@link InProcessBroker} parameter on a
 * test, {@code @BeforeAll} or {@code @BeforeEach} method.
 *
 * <p>The first test that asks starts the broker; it lives in the root context's store, so JUnit
 * closes it once, when every test class of the JVM has run.
 */
final class KafkaBroker implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBroker.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == InProcessBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        InProcessBroker.class,
                        k -> {
                            try {
                                InProcessBroker broker = InProcessBroker.start();
                                System.out.printf(
                                        "in-process Kafka broker at %s started in %d ms%n",
                                        broker.bootstrapServers(), broker.startTime().toMillis());
                                return broker;
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "could not start the in-process Kafka broker", e);
                            }
                        },
                        InProcessBroker.class);
    }
}
