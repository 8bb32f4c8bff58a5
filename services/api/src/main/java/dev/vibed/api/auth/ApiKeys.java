package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API keys, read from lines of {@code KEY USER [ROLE,...]} ({@code #} starts a comment). Only the SHA-256 of
 * each key is kept, so a heap dump or a log line never holds one. A line that does not parse stops start-up with
 * its number: a half-read key file would lock people out (or in) silently.
 */
public final class ApiKeys {
    /** RFC 6750 token68 characters, so a key travels in a Bearer header unchanged. */
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9._~+/-]+=*$");
    private static final Pattern USER = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$");
    private static final Pattern ROLE = Pattern.compile("^[a-z][a-z0-9_-]{0,31}$");
    static final int MIN_KEY_LENGTH = 16;

    /** One key: its hash and who it stands for. */
    record Entry(byte[] hash, Caller caller) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @param text   the lines
     * @param source where they came from, for the error message (a file name, or the env variable's name)
     */
    public static ApiKeys parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            int lineNo = i + 1;
            if (fields.length < 2 || fields.length > 3) {
                throw bad(source, lineNo, "expected 'KEY USER [ROLE,...]', found " + fields.length + " field(s)");
            }
            String key = fields[0];
            if (key.length() < MIN_KEY_LENGTH) {
                throw bad(source, lineNo, "the key is shorter than " + MIN_KEY_LENGTH + " characters (make one with: openssl rand -hex 24)");
            }
            if (!KEY.matcher(key).matches()) {
                throw bad(source, lineNo, "the key may only use letters, digits and - . _ ~ + / (and = at the end)");
            }
            if (!USER.matcher(fields[1]).matches()) {
                throw bad(source, lineNo, "the user '" + fields[1] + "' must be 1-64 letters, digits or . _ @ -");
            }
            Set<String> roles = new LinkedHashSet<>();
            if (fields.length == 3) {
                for (String role : fields[2].split(",", -1)) {
                    if (!ROLE.matcher(role).matches()) {
                        throw bad(source, lineNo, "the role '" + role + "' must be lowercase letters, digits, _ or -, "
                                + "and roles are separated by commas without spaces");
                    }
                    roles.add(role);
                }
            }
            if (!seen.add(key)) {
                throw bad(source, lineNo, "this key is already given to another line; each key stands for one user");
            }
            entries.add(new Entry(sha256(key), new Caller(fields[1], roles)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("api keys (" + source + ") holds no keys: add lines 'KEY USER [ROLE,...]'");
        }
        return new ApiKeys(entries);
    }

    /**
     * The caller a key belongs to, or null. Every stored hash is compared, each in constant time, so the time taken
     * says nothing about which key, or how much of one, matched.
     */
    Caller find(String key) {
        byte[] presented = sha256(key);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), presented)) {
                found = e.caller();
            }
        }
        Arrays.fill(presented, (byte) 0);
        return found;
    }

    public int size() {
        return entries.size();
    }

    private static IllegalArgumentException bad(String source, int line, String why) {
        return new IllegalArgumentException("api keys " + source + " line " + line + ": " + why);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
