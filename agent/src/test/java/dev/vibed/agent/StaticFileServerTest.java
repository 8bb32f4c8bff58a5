package dev.vibed.agent;

import dev.vibed.agent.testing.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StaticFileServerTest {
    @TempDir
    Path tmp;
    Path root;
    int port;
    StaticFileServer server;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.writeString(root.resolve("app.js"), "console.log(1)");
        Files.writeString(root.resolve("logo.svg"), "<svg/>");
        Files.write(root.resolve("mod.wasm"), new byte[]{0, 'a', 's', 'm'});
        Files.writeString(root.resolve("font.woff2"), "w");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.writeString(tmp.resolve("outside.txt"), "outside the root");
        Files.createSymbolicLink(root.resolve("leak.txt"), tmp.resolve("outside.txt"));
        Files.createSymbolicLink(root.resolve("alias.html"), root.resolve("index.html"));
        port = FreePort.find();
        server = StaticFileServer.start(root, "127.0.0.1", port);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesFilesWithTheirContentTypes() throws Exception {
        assertThat(get("GET", "/").body()).isEqualTo("<h1>home</h1>");
        assertThat(get("GET", "/index.html").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(get("GET", "/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("GET", "/logo.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(get("GET", "/mod.wasm").headers().firstValue("Content-Type")).hasValue("application/wasm");
        assertThat(get("GET", "/font.woff2").headers().firstValue("Content-Type")).hasValue("font/woff2");
        assertThat(get("GET", "/alias.html").body()).isEqualTo("<h1>home</h1>");
    }

    @Test
    void foldersServeTheirIndexAfterASlashRedirect() throws Exception {
        HttpResponse<String> redirect = get("GET", "/docs?x=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/docs/?x=1");
        assertThat(get("GET", "/docs/").body()).isEqualTo("<h1>docs</h1>");
    }

    @Test
    void headHasHeadersButNoBody() throws Exception {
        HttpResponse<String> head = get("HEAD", "/app.js");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue("14");
        assertThat(get("POST", "/").statusCode()).isEqualTo(405);
    }

    @Test
    void missingFilesGetA404PageOrTheSitesOwn() throws Exception {
        HttpResponse<String> missing = get("GET", "/nope.html");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("404 Not Found");
        Files.writeString(root.resolve("404.html"), "custom missing page");
        assertThat(get("GET", "/nope.html").body()).isEqualTo("custom missing page");
    }

    @Test
    void clientRoutesServeTheIndexUnlessTheSiteHasA404Page() throws Exception {
        HttpResponse<String> deep = get("GET", "/users/42");
        assertThat(deep.statusCode()).isEqualTo(200);
        assertThat(deep.body()).isEqualTo("<h1>home</h1>");
        assertThat(get("GET", "/docs/").body()).as("folders win").isEqualTo("<h1>docs</h1>");
        assertThat(get("GET", "/app.js").body()).as("files win").isEqualTo("console.log(1)");
        assertThat(get("GET", "/assets/missing.js").statusCode()).as("a missing asset stays missing").isEqualTo(404);

        Files.writeString(root.resolve("404.html"), "custom missing page");
        HttpResponse<String> withPage = get("GET", "/users/42");
        assertThat(withPage.statusCode()).isEqualTo(404);
        assertThat(withPage.body()).isEqualTo("custom missing page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../outside.txt", "/%2e%2e/outside.txt", "/docs/../../outside.txt", "/leak.txt",
            "/.env", "/..%2foutside.txt", "/%2e%2e%5coutside.txt"})
    void nothingOutsideTheRootOrHiddenIsServed(String path) throws IOException {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 404").doesNotContain("outside the root").doesNotContain("SECRET");
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
