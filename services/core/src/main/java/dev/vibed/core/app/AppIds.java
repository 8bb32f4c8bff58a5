package dev.vibed.core.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Names derived from an app (DESIGN section 2). The id is 12 characters of lowercase base32 of
 * sha256(owner/name): stable across redeploys by the same owner, unguessable across owners, and a valid DNS
 * label, so it serves as URL host label, resource name and route id at once.
 */
public final class AppIds {
    public static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    public static final Pattern ID = Pattern.compile("^[a-z2-7]{12}$");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private AppIds() {
    }

    public static String appId(String owner, String name) {
        byte[] digest = sha256((owner + "/" + name).getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(12);
        int buffer = 0;
        int bits = 0;
        for (byte b : digest) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5 && out.length() < 12) {
                out.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
            if (out.length() == 12) {
                break;
            }
        }
        return out.toString();
    }

    public static boolean validName(String name) {
        return name != null && name.length() <= 63 && NAME.matcher(name).matches();
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The Kubernetes Service and Caddy route id for an app. */
    public static String serviceName(String appId) {
        return "vibed-app-" + appId;
    }

    /** One sandbox claim per (app, version): a rollout claims the new one before releasing the old. */
    public static String claimKey(String appId, int version) {
        return appId + "-v" + version;
    }

    /** The app of a claim key made by {@link #claimKey}. */
    public static String appIdOfClaim(String claimKey) {
        int v = claimKey.lastIndexOf("-v");
        return v < 0 ? claimKey : claimKey.substring(0, v);
    }

    public static boolean claimBelongsTo(String claimKey, String appId) {
        return claimKey.startsWith(appId + "-v");
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
