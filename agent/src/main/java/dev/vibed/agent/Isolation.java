package dev.vibed.agent;

import java.util.Locale;

/** How the user process is confined. {@code AUTO} resolves to {@code BWRAP} when bubblewrap is on PATH. */
public enum Isolation {
    NONE, BWRAP, AUTO;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Isolation fromWire(String s) {
        for (Isolation i : values()) {
            if (i.wire().equals(s)) {
                return i;
            }
        }
        throw new IllegalArgumentException("--isolation must be none, bwrap or auto, not '" + s + "'");
    }
}
