package dev.vibed.standalone.testing;

import dev.vibed.core.testing.TarGz;

/** Small real apps used across the standalone tests. */
public final class Apps {
    private Apps() {
    }

    public static byte[] staticSite(String marker) {
        return TarGz.create()
                .file("index.html", "<!doctype html><title>site</title><h1>" + marker + "</h1>")
                .file("css/site.css", "h1 { color: teal; }")
                .bytes();
    }

    /** A Node http server that answers its marker, the request path and the value of GREETING. */
    public static byte[] nodeServer(String marker) {
        return TarGz.create()
                .file("package.json", "{\"name\":\"hello\",\"version\":\"1.0.0\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", """
                        const http = require('http');
                        const port = process.env.PORT || 8080;
                        http.createServer((req, res) => {
                          res.writeHead(200, {'content-type': 'text/plain'});
                          res.end('%s ' + req.url + ' greeting=' + (process.env.GREETING || ''));
                        }).listen(port, process.env.HOST || '127.0.0.1');
                        """.formatted(marker))
                .bytes();
    }

    /** A Node app that exits at once: it never serves, so a deploy of it must fail. */
    public static byte[] crashingNode() {
        return TarGz.create()
                .file("package.json", "{\"name\":\"crash\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", "console.error('boom: missing config'); process.exit(3);")
                .bytes();
    }

    public static byte[] pythonServer(String marker) {
        return TarGz.create()
                .file("app.py", """
                        import os
                        from http.server import BaseHTTPRequestHandler, HTTPServer

                        class Handler(BaseHTTPRequestHandler):
                            def do_GET(self):
                                body = ('%s ' + self.path).encode()
                                self.send_response(200)
                                self.send_header('Content-Type', 'text/plain')
                                self.send_header('Content-Length', str(len(body)))
                                self.end_headers()
                                self.wfile.write(body)

                        HTTPServer((os.environ.get('HOST', '127.0.0.1'), int(os.environ['PORT'])), Handler).serve_forever()
                        """.formatted(marker))
                .bytes();
    }
}
