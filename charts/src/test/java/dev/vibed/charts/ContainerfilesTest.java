package dev.vibed.charts;

import dev.vibed.core.testing.RepoRoot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No image can be built here, so the Containerfiles are checked against what they stand on: every base pinned by
 * digest, a non-root user, every COPY source present in the Maven build output, an exec-form entrypoint whose jar
 * is one of the copies and runs its main class; and the agent image's entrypoint, with the arguments the chart's
 * SandboxTemplate gives it, really starts a vibed-agent that answers.
 */
class ContainerfilesTest {
    private static final Path ROOT = RepoRoot.find();
    private static final Map<String, String> MAIN_CLASSES = Map.of(
            "vibed", "dev.vibed.kube.api.ClusterApiMain",
            "vibed-controller", "dev.vibed.controller.ControllerMain",
            "vibed-router", "dev.vibed.router.RouterMain",
            "sandbox-static", "dev.vibed.agent.AgentMain",
            "sandbox-node", "dev.vibed.agent.AgentMain",
            "sandbox-python", "dev.vibed.agent.AgentMain",
            "sandbox-workerd", "dev.vibed.agent.AgentMain");

    @Test
    void everyImageIsPinnedNonRootAndBuiltFromPathsTheBuildProduces() throws IOException {
        Map<String, Path> files = containerfiles();
        assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(MAIN_CLASSES.keySet());
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String image = e.getKey();
            Containerfile f = Containerfile.read(e.getValue());
            assertThat(f.froms()).as(image).isNotEmpty()
                    .allSatisfy(from -> assertThat(from).as("%s: base pinned by digest", image).containsPattern("@sha256:[0-9a-f]{64}"));
            assertThat(f.user()).as("%s runs as a numeric non-root user", image).matches("[1-9][0-9]{3,}:[1-9][0-9]{3,}");
            for (Map.Entry<String, String> copy : f.copies().entrySet()) {
                Path source = ROOT.resolve(copy.getKey());
                assertThat(source).as("%s: COPY %s must exist after 'mvn package'", image, copy.getKey()).exists();
                if (copy.getKey().endsWith("/lib/")) {
                    try (var libs = Files.list(source)) {
                        assertThat(libs.filter(p -> p.toString().endsWith(".jar")).count()).as("%s: %s holds the jars", image, source).isPositive();
                    }
                }
            }
            List<String> entrypoint = f.entrypoint();
            assertThat(entrypoint.getFirst()).as("%s: exec-form entrypoint, the JVM as PID 1", image).endsWith("java");
            String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
            String copiedFrom = f.copies().entrySet().stream().filter(c -> c.getValue().equals(jar)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError(image + ": the entrypoint's jar " + jar + " is not copied"));
            try (JarFile built = new JarFile(ROOT.resolve(copiedFrom).toFile())) {
                var manifest = built.getManifest().getMainAttributes();
                assertThat(manifest.getValue("Main-Class")).as(image).isEqualTo(MAIN_CLASSES.get(image));
                Path libDir = ROOT.resolve(copiedFrom).getParent().resolve("lib");
                for (String entry : manifest.getValue("Class-Path").split(" ")) {
                    assertThat(libDir.getParent().resolve(entry)).as("%s: Class-Path entry %s", image, entry).exists();
                }
                assertThat(f.copies()).as("%s copies the lib dir next to the jar", image)
                        .containsValue(Path.of(jar).getParent().resolve("lib") + "/");
            }
        }
    }

    @Test
    void theAgentStartsWithTheArgumentsTheChartsTemplatesGiveIt() throws Exception {
        Chart.Rendered r = Chart.render("values-production.yaml");
        for (Map<String, Object> template : r.ofKind("SandboxTemplate")) {
            String name = Chart.Rendered.name(template);
            PodSpec pod = Chart.Rendered.as(ChartObjectsTest.cast(ChartObjectsTest.at(template, "spec", "podTemplate", "spec")), PodSpec.class);
            Container agent = pod.getContainers().getFirst();
            Containerfile image = Containerfile.read(ROOT.resolve("images/sandbox-" + name + "/Containerfile"));
            assertThat(agent.getCommand()).as(name).isNullOrEmpty();
            startAndProbe(name, image, agent.getArgs());
        }
    }

    /** The image's entrypoint (its java replaced by ours, image paths by the build's) plus the template's args. */
    private static void startAndProbe(String template, Containerfile image, List<String> templateArgs) throws Exception {
        Path workspace = Files.createTempDirectory(Files.createDirectories(ROOT.resolve("charts/target")), "agent-" + template + "-");
        int appPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            appPort = s.getLocalPort();
        }
        // Only what a test machine must change: where, on which ports and address. Every other flag as the chart wrote it.
        Map<String, String> local = Map.of("--workspace", workspace.toString(), "--control-port", "0",
                "--app-port", String.valueOf(appPort), "--bind", "127.0.0.1");
        List<String> args = new ArrayList<>(templateArgs);
        for (int i = 0; i < args.size() - 1; i++) {
            if (local.containsKey(args.get(i))) {
                args.set(i + 1, local.get(args.get(i)));
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : image.entrypoint().subList(1, image.entrypoint().size())) {
            command.add(image.copies().entrySet().stream().filter(c -> c.getValue().equals(arg))
                    .map(c -> ROOT.resolve(c.getKey()).toString()).findFirst().orElse(arg));
        }
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        String token = "token-for-" + template;
        pb.environment().put("VIBED_AGENT_TOKEN", token);
        Process process = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        Matcher m = Pattern.compile("vibed-agent ready control=(\\d+)").matcher(line);
                        if (m.find()) {
                            return Integer.parseInt(m.group(1));
                        }
                    }
                    return -1;
                } catch (IOException e) {
                    return -1;
                }
            });
            int control = ready.get(30, TimeUnit.SECONDS);
            assertThat(control).as("%s: the agent started with %s; output:\n%s", template, command, seen).isPositive();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control + "/info"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).as("%s: %s", template, info.body()).isEqualTo(200);
            assertThat(info.body()).contains("static", "node", "python");
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("%s: the control API needs the token", template).isEqualTo(401);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Path> containerfiles() throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (var dirs = Files.list(ROOT.resolve("images"))) {
            dirs.filter(d -> Files.exists(d.resolve("Containerfile"))).forEach(d -> out.put(d.getFileName().toString(), d.resolve("Containerfile")));
        }
        return out;
    }

    /** The few Containerfile instructions these images use: FROM, COPY (not --from), USER, exec-form ENTRYPOINT. */
    record Containerfile(List<String> froms, Map<String, String> copies, String user, List<String> entrypoint) {
        static Containerfile read(Path file) throws IOException {
            List<String> froms = new ArrayList<>();
            Map<String, String> copies = new TreeMap<>();
            String user = null;
            List<String> entrypoint = List.of();
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.startsWith("FROM ")) {
                    froms.add(l.substring(5).split(" ")[0]);
                } else if (l.startsWith("COPY ") && !l.startsWith("COPY --from")) {
                    String[] parts = l.substring(5).trim().split("\\s+");
                    copies.put(parts[0], parts[1]);
                } else if (l.startsWith("USER ")) {
                    user = l.substring(5).trim();
                } else if (l.startsWith("ENTRYPOINT ")) {
                    entrypoint = List.of(Serialization.unmarshal(l.substring(11), String[].class));
                }
            }
            return new Containerfile(froms, copies, user, entrypoint);
        }
    }
}
