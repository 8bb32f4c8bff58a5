package dev.vibed.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Project folders as developers have them on disk, written for a test. */
public final class Projects {
    private final Path dir;

    private Projects(Path dir) {
        this.dir = dir;
    }

    public static Projects in(Path parent, String name) {
        try {
            return new Projects(Files.createDirectories(parent.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Projects file(String path, String content) {
        try {
            Path f = dir.resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Projects link(String path, Path target) {
        try {
            Files.createSymbolicLink(dir.resolve(path), target);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Node server that prints one line per request ("hit PATH") and answers its marker and $GREETING. */
    public static Projects nodeLogger(Path parent, String name, String marker) {
        return in(parent, name)
                .file("package.json", "{\"name\":\"" + name + "\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", """
                        const http = require('http');
                        http.createServer((req, res) => {
                          console.log('hit ' + req.url);
                          res.writeHead(200, {'content-type': 'text/plain'});
                          res.end('%s greeting=' + (process.env.GREETING || ''));
                        }).listen(process.env.PORT, process.env.HOST || '127.0.0.1');
                        """.formatted(marker));
    }
}
