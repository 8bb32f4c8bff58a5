package dev.vibed.standalone.testing;

import dev.vibed.core.testing.TarGz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The official starters as an assistant's user gets them: {@code npm pack create-vite@9.3.0} (its
 * {@code template-*} folders) and {@code npm pack create-next-app@16.4.3} (its app-router template, to which the
 * CLI adds a package.json). The packs are fetched from the npm registry once and kept in a cache folder that
 * outlives the build ({@code VIBED_STARTERS_CACHE}, else {@code .tools/starters} of the checkout), so CI pays
 * for the download once.
 */
public final class Starters {
    public static final String CREATE_VITE = "create-vite@9.3.0";
    public static final String CREATE_NEXT_APP = "create-next-app@16.4.3";
    public static final String NEXT_VERSION = "16.4.3";

    private Starters() {
    }

    /** {@code template-<name>} of create-vite, as a project tarball (the CLI renames {@code _gitignore}). */
    public static TarGz vite(String name) {
        return fromPack(CREATE_VITE, "package/template-" + name + "/", UnaryOperator.identity())
                .orElseThrow(() -> new IllegalStateException(CREATE_VITE + " has no template-" + name));
    }

    /** A create-vite template with some of its files replaced. */
    public static TarGz vite(String name, java.util.Map<String, String> replacing) {
        TarGz t = fromPack(CREATE_VITE, "package/template-" + name + "/", path -> replacing.containsKey(path) ? null : path)
                .orElseThrow();
        replacing.forEach(t::file);
        return t;
    }

    /**
     * create-next-app's JavaScript app-router template with the package.json its CLI writes ({@code next dev|build|
     * start}, next, react, react-dom). {@code layout} replaces app/layout.js when not null.
     */
    public static TarGz nextApp(String layout) {
        TarGz t = fromPack(CREATE_NEXT_APP, "package/dist/templates/app/js/",
                path -> path.equals("gitignore") ? ".gitignore" : layout != null && path.equals("app/layout.js") ? null : path)
                .orElseThrow(() -> new IllegalStateException(CREATE_NEXT_APP + " has no dist/templates/app/js"));
        t.file("package.json", """
                {"name": "next-app", "version": "0.1.0", "private": true,
                 "scripts": {"dev": "next dev", "build": "next build", "start": "next start"},
                 "dependencies": {"next": "%s", "react": "^19", "react-dom": "^19"}}
                """.formatted(NEXT_VERSION));
        if (layout != null) {
            t.file("app/layout.js", layout);
        }
        return t;
    }

    /** The text of one file of a pack, e.g. the stock Next.js layout. */
    public static String file(String pack, String path) {
        try (TarArchiveInputStream tar = open(pack)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals(path)) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException(pack + " has no " + path);
    }

    /**
     * Files under {@code prefix} of the pack, renamed by {@code rename} (null drops a file); {@code _gitignore}
     * becomes {@code .gitignore} as create-vite does.
     */
    private static java.util.Optional<TarGz> fromPack(String pack, String prefix, UnaryOperator<String> rename) {
        TarGz out = TarGz.create();
        int files = 0;
        try (TarArchiveInputStream tar = open(pack)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || !e.getName().startsWith(prefix)) {
                    continue;
                }
                String path = e.getName().substring(prefix.length());
                path = path.equals("_gitignore") ? ".gitignore" : path;
                String renamed = rename.apply(path);
                if (renamed != null) {
                    out.file(renamed, tar.readAllBytes(), (e.getMode() & 0755) | 0644);
                    files++;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files == 0 ? java.util.Optional.empty() : java.util.Optional.of(out);
    }

    private static TarArchiveInputStream open(String pack) throws IOException {
        Path file = fetched(pack);
        InputStream in = new GZIPInputStream(Files.newInputStream(file));
        return new TarArchiveInputStream(in);
    }

    /** The pack's tarball in the cache, fetched with {@code npm pack} when it is not there yet. */
    static synchronized Path fetched(String pack) throws IOException {
        Path cache = cacheDir();
        String fileName = pack.replace("@", "-") + ".tgz";
        Path file = cache.resolve(fileName);
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return file;
        }
        Files.createDirectories(cache);
        List<String> cmd = new ArrayList<>(List.of("npm", "pack", pack, "--pack-destination", cache.toString(),
                "--silent"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("npm is needed to fetch the starters (" + pack + "): install Node.js "
                    + "and npm (apt-get install nodejs npm); " + e.getMessage(), e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(file)) {
                throw new IllegalStateException("npm pack " + pack + " failed (the npm registry must be reachable): "
                        + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return file;
    }

    private static Path cacheDir() {
        String env = System.getenv("VIBED_STARTERS_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("vibed")) && Files.isDirectory(dir.resolve("services"))) {
                return dir.resolve(".tools/starters");
            }
        }
        return Path.of("target", "starters").toAbsolutePath();
    }
}
