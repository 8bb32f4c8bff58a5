package dev.vibed.standalone.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds real, pure-Python wheels (PEP 427: the package, METADATA, WHEEL and a RECORD with hashes) into a folder
 * that pip reads as a local index ({@code --find-links}): the package index itself cannot be reached from here.
 */
public final class Wheels {
    private Wheels() {
    }

    /** Writes {@code <name>-<version>-py3-none-any.whl} with one module {@code <name>/__init__.py}. */
    public static Path build(Path index, String name, String version, String initPy) throws IOException {
        String module = name.replace('-', '_');
        String distInfo = module + "-" + version + ".dist-info";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(module + "/__init__.py", initPy.getBytes(StandardCharsets.UTF_8));
        files.put(distInfo + "/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                + "\nSummary: built by a vibeD test\n").getBytes(StandardCharsets.UTF_8));
        files.put(distInfo + "/WHEEL", "Wheel-Version: 1.0\nGenerator: vibed-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        files.forEach((path, bytes) -> record.append(path).append(",sha256=").append(sha256(bytes)).append(',')
                .append(bytes.length).append('\n'));
        record.append(distInfo).append("/RECORD,,\n");
        files.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));

        Files.createDirectories(index);
        Path wheel = index.resolve(module + "-" + version + "-py3-none-any.whl");
        try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        }
        return wheel;
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
