package dev.pipeline.kafka;

import org.apache.kafka.common.security.auth.AuthenticationContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;

/**
 * A test broker's principal builder: a connection's user is the name of the listener it came in
 * on, so one PLAINTEXT broker can tell its own connections ({@code User:PLAINTEXT}, {@code
 * User:CONTROLLER}: super users) from a client's ({@code User:CLIENT}), and its authoriser can
 * refuse the client. Public with a no-argument constructor: the broker instantiates it.
 */
public final class ListenerPrincipalBuilder extends DefaultKafkaPrincipalBuilder {

    /** Made by the broker from {@code principal.builder.class}. */
    public ListenerPrincipalBuilder() {
        super(null, null);
    }

    @Override
    public KafkaPrincipal build(AuthenticationContext context) {
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, context.listenerName());
    }
}
