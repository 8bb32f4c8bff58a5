package dev.vibed.core.access;

import java.util.Set;

/**
 * Who is asking. It enters at each front end from the auth mode and is passed into every application call, so
 * ownership is checked in one place for REST, GraphQL and MCP alike. With auth off (standalone default) everyone
 * is {@link #LOCAL}, who holds the admin role.
 *
 * @param subject the user's stable name (API key user, or the configured OIDC claim); apps are owned by it
 * @param roles   the caller's roles; {@link #ADMIN_ROLE} sees and acts on every app
 */
public record Caller(String subject, Set<String> roles) {
    public static final String ADMIN_ROLE = "admin";
    public static final Caller LOCAL = new Caller("local", Set.of(ADMIN_ROLE));

    public Caller {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a caller needs a subject");
        }
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public static Caller user(String subject) {
        return new Caller(subject, Set.of());
    }

    public static Caller admin(String subject) {
        return new Caller(subject, Set.of(ADMIN_ROLE));
    }

    public boolean admin() {
        return roles.contains(ADMIN_ROLE);
    }

    public boolean mayAccess(String owner) {
        return admin() || subject.equals(owner);
    }
}
