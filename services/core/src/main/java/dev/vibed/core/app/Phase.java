package dev.vibed.core.app;

/** Lifecycle phases (DESIGN section 2). The wire form is the capitalised name, as in Kubernetes status. */
public enum Phase {
    PENDING("Pending"), CLAIMING("Claiming"), STARTING("Starting"), READY("Ready"), SUSPENDED("Suspended"), FAILED("Failed");

    private final String wire;

    Phase(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Phase fromWire(String s) {
        for (Phase p : values()) {
            if (p.wire.equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase " + s);
    }
}
