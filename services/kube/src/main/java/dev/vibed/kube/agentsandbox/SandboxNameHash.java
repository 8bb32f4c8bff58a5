package dev.vibed.kube.agentsandbox;

import java.nio.charset.StandardCharsets;

/**
 * agent-sandbox's pod label value for a Sandbox: 32-bit FNV-1a of the Sandbox's name as 8 lowercase hex digits
 * ({@code NameHash} in its sandbox controller). Used when a Sandbox has not published {@code status.selector} yet.
 */
public final class SandboxNameHash {
    private static final int OFFSET_BASIS = 0x811c9dc5;
    private static final int PRIME = 0x01000193;

    private SandboxNameHash() {
    }

    public static String of(String sandboxName) {
        int hash = OFFSET_BASIS;
        for (byte b : sandboxName.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= PRIME;
        }
        return String.format("%08x", hash);
    }
}
