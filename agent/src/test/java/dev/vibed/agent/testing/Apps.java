package dev.vibed.agent.testing;

/** Source of the small apps the tests deploy. */
public final class Apps {
    private Apps() {
    }

    /** A Node server: "/" answers {@code node <greeting>}, "/env" dumps its env, "/say?m=x" logs x to stdout. */
    public static String nodeServer(String greeting) {
        return """
                const http = require('http');
                console.log('boot %s');
                http.createServer((req, res) => {
                  const u = new URL(req.url, 'http://x');
                  if (u.pathname === '/env') {
                    res.setHeader('content-type', 'application/json');
                    res.end(JSON.stringify(process.env));
                  } else if (u.pathname === '/say') {
                    console.log(u.searchParams.get('m'));
                    res.end('ok');
                  } else {
                    res.end('node %s');
                  }
                }).listen(Number(process.env.PORT), process.env.HOST);
                """.formatted(greeting, greeting);
    }

    public static String pythonServer(String greeting) {
        return """
                import http.server, os
                class Handler(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = b"python %s"
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                print("python boot", flush=True)
                http.server.HTTPServer((os.environ["HOST"], int(os.environ["PORT"])), Handler).serve_forever()
                """.formatted(greeting);
    }
}
