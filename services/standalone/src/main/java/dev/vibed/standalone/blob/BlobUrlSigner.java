package dev.vibed.standalone.blob;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Signs blob URLs with a per-process random key: a URL is useless after a restart or past its expiry. */
public final class BlobUrlSigner {
    private final byte[] key;

    public BlobUrlSigner() {
        key = new byte[32];
        new SecureRandom().nextBytes(key);
    }

    public String sign(String sha256, long expiresEpochSecond) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((sha256 + ":" + expiresEpochSecond).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean verify(String sha256, long expiresEpochSecond, String signature, long nowEpochSecond) {
        if (signature == null || expiresEpochSecond < nowEpochSecond) {
            return false;
        }
        return MessageDigest.isEqual(sign(sha256, expiresEpochSecond).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
