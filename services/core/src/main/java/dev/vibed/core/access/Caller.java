package dev.vibed.core.access;

/**
 * Who is asking. Every application service takes one, so ownership is checked in one place for REST, GraphQL and
 * MCP alike. With auth off (standalone default) everyone is {@link #LOCAL}.
 */
public record Caller(String subject, boolean admin) {
    public static final Caller LOCAL = new Caller("local", true);

    public boolean mayAccess(String owner) {
        return admin || subject.equals(owner);
    }
}
