package dev.vibed.perf.router;

import dev.vibed.core.route.Route;
import dev.vibed.core.route.RouteTable;
import dev.vibed.kube.testing.CaddyProcess;
import dev.vibed.router.caddy.CaddyAdminCalls;
import dev.vibed.router.caddy.CaddyRouteTable;
import dev.vibed.router.caddy.CaddyRoutes;
import dev.vibed.router.pages.PageBook;
import dev.vibed.router.pages.PageServer;
import dev.vibed.router.testing.LoopbackApps;
import dev.vibed.router.testing.LoopbackDns;
import dev.vibed.router.wildcard.WildcardRouteTable;
import dev.vibed.router.wildcard.WildcardRoutes;
import jakarta.json.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Routing cost against the number of apps, for both ways vibed-router can program one real Caddy: the wildcard
 * (one static route, apps found by Service name through DNS) and one Caddy route per app. For N apps present, it
 * makes app N+1 routable a few times and measures the route write (time and admin API calls) and the time until
 * Caddy's first 200 for it, then the latency of requests through Caddy at N apps. A benchmark, not a test: run it
 * by hand (the command is in the report it writes); {@code RouterScaleBenchSmokeTest} keeps it from rotting.
 *
 * <p>Args: {@code --sizes 1,1000,10000 --out FILE.md [--samples 7] [--requests 300] [--spread 150]
 * [--per-app-budget-seconds 600]}.
 */
public final class RouterScaleBench implements AutoCloseable {
    private static final String NS = "vibed-apps";
    private static final String SUFFIX = "." + NS + ".svc.cluster.local";
    private static final String DOMAIN = "apps.bench";
    private static final String DEAD_TARGET = "127.0.0.1:9";

    private final Args args;
    private final CaddyProcess caddy;
    private final LoopbackDns dns;
    private final LoopbackApps services;
    private final PageBook book = new PageBook();
    private final PageServer pages;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> spreadHosts = new ArrayList<>();
    private final List<String> dnsNotes = new ArrayList<>();
    private int nextApp;

    record Args(List<Integer> sizes, Path out, int samples, int requests, int spread, Duration perAppBudget) {
        static Args parse(String[] argv) {
            List<Integer> sizes = List.of(1, 1000, 10000);
            Path out = Path.of("router-scale.md");
            int samples = 7;
            int requests = 300;
            int spread = 150;
            Duration budget = Duration.ofMinutes(10);
            for (int i = 0; i < argv.length; i++) {
                String value = i + 1 < argv.length ? argv[i + 1] : "";
                switch (argv[i]) {
                    case "--sizes" -> sizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
                    case "--out" -> out = Path.of(value);
                    case "--samples" -> samples = Integer.parseInt(value);
                    case "--requests" -> requests = Integer.parseInt(value);
                    case "--spread" -> spread = Integer.parseInt(value);
                    case "--per-app-budget-seconds" -> budget = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown argument " + argv[i]
                            + " (use --sizes 1,1000,10000 --out FILE.md [--samples N] [--requests N] [--spread N]"
                            + " [--per-app-budget-seconds S])");
                }
                i++;
            }
            return new Args(sizes, out, samples, requests, spread, budget);
        }
    }

    public static void main(String[] argv) throws Exception {
        // Before any HttpClient exists: requests through Caddy must carry each app's Host.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        Args args = Args.parse(argv);
        Path dir = Files.createTempDirectory("router-scale-");
        try (RouterScaleBench bench = new RouterScaleBench(args, dir)) {
            bench.run();
        }
    }

    private RouterScaleBench(Args args, Path dir) {
        this.args = args;
        this.caddy = CaddyProcess.start(dir.resolve("caddy"));
        this.dns = new LoopbackDns();
        this.services = new LoopbackApps(dns, SUFFIX);
        this.pages = new PageServer(book, "127.0.0.1", 0);
    }

    private void run() throws Exception {
        ScaleReport report = new ScaleReport();
        // A throwaway round first, so the smallest size (every ratio's baseline) is not the one that warms the JIT,
        // Caddy's connections and the first lookups.
        measure(1, "wildcard");
        measure(1, "per-app");
        dnsNotes.clear();
        for (int size : args.sizes()) {
            report.add(measure(size, "wildcard"));
            report.add(measure(size, "per-app"));
        }
        report.note("A throwaway round at 1 app for each design ran first (warm-up), not shown.");
        report.note("Each size: N apps present, then " + args.samples() + " more apps made routable one at a time;"
                + " route upsert = the router's table write for the new app (admin calls are per new app, p50);"
                + " first 200 = from that write until Caddy first answers 200 with the app's body.");
        report.note("Requests: " + args.requests() + " sequential GETs through Caddy on one keep-alive connection,"
                + " to one app (\"one app\") and round robin over up to " + args.spread() + " live apps (\"spread\").");
        report.note("Wildcard: the Service names resolve through a loopback DNS server playing the cluster DNS"
                + " (Caddy `dynamic a`, refresh 1 s); each fake Service has its own loopback address, all on one port.");
        dnsNotes.forEach(report::note);
        report.note("Per-app: the N routes are loaded in one `POST /load` (setup, not measured); each new app then goes"
                + " through the router's PATCH / read / conditional insert, as in production.");
        Files.createDirectories(args.out().toAbsolutePath().getParent());
        report.write(args.out(), header());
        System.out.println("wrote " + args.out() + " and " + ScaleReport.csvPath(args.out()));
    }

    private ScaleReport.Row measure(int size, String design) throws Exception {
        boolean wildcard = design.equals("wildcard");
        int spreadCount = Math.min(size, args.spread());
        List<Route> present = new ArrayList<>();
        spreadHosts.clear();
        for (int i = 0; i < size; i++) {
            String label = label();
            String target;
            if (i < spreadCount) {
                InetAddress address = serve(label);
                target = wildcard ? serviceTarget(label) : address.getHostAddress() + ":" + services.port();
                spreadHosts.add(host(label));
            } else {
                // Present but never requested: a name in DNS (wildcard) or a route in Caddy (per-app).
                target = wildcard ? serviceTarget(label) : DEAD_TARGET;
            }
            present.add(new Route("vibed-app-" + label, host(label), target, Route.Kind.PROXY));
        }
        RouteTable table;
        CaddyRouteTable caddyTable;
        if (wildcard) {
            WildcardRoutes routes = new WildcardRoutes(DOMAIN, SUFFIX, services.port(), List.of(dns.address()),
                    Duration.ofSeconds(1), "127.0.0.1:" + pages.port());
            caddyTable = table(WildcardRouteTable.base(routes));
            load(List.of());
            caddyTable.ensureBase();
            WildcardRouteTable wildcardTable = new WildcardRouteTable(caddyTable, routes, book);
            for (Route r : present) {
                wildcardTable.upsert(r);
            }
            table = wildcardTable;
        } else {
            caddyTable = table(dev.vibed.router.caddy.CaddyBase.fallbackOnly());
            load(present);
            caddyTable.ensureBase();
            table = caddyTable;
        }
        List<Double> upserts = new ArrayList<>();
        List<Double> firsts = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        List<Double> reads = new ArrayList<>();
        long deadline = System.nanoTime() + args.perAppBudget().toNanos();
        String note = "";
        String hot = null;
        for (int s = 0; s < args.samples(); s++) {
            if (!wildcard && System.nanoTime() > deadline) {
                note = "capped at " + s + " samples by the " + args.perAppBudget().toSeconds() + " s budget";
                break;
            }
            String label = label();
            InetAddress address = serve(label);
            Route route = new Route("vibed-app-" + label, host(label),
                    wildcard ? serviceTarget(label) : address.getHostAddress() + ":" + services.port(), Route.Kind.PROXY);
            CaddyAdminCalls before = caddyTable.adminCalls();
            long t0 = System.nanoTime();
            table.upsert(route);
            long t1 = System.nanoTime();
            awaitOk(route.host(), label);
            long t2 = System.nanoTime();
            CaddyAdminCalls made = caddyTable.adminCalls().minus(before);
            upserts.add((t1 - t0) / 1e6);
            firsts.add((t2 - t0) / 1e6);
            writes.add((double) made.writes());
            reads.add((double) made.reads());
            hot = route.host();
        }
        if (hot == null) {
            hot = spreadHosts.getFirst();
        }
        Latencies hotLatency = requests(List.of(hot));
        long queries = dns.queries();
        Latencies spreadLatency = requests(spreadHosts);
        if (wildcard) {
            dnsNotes.add(String.format(Locale.ROOT, "%d apps, wildcard: %.2f DNS queries per request while spreading over %d apps"
                    + " (A and AAAA per lookup; Caddy caches each name for its refresh)", size,
                    (dns.queries() - queries) / (double) args.requests(), spreadHosts.size()));
        }
        System.out.printf(Locale.ROOT, "%6d apps %-8s upsert p50 %.2f ms, writes %.0f, first 200 p50 %.2f ms, request p50 %.2f ms%n",
                size, design, Latencies.of(upserts).median(), Latencies.of(writes).median(), Latencies.of(firsts).median(),
                hotLatency.median());
        for (Route r : present) {
            book.remove(r.id());
        }
        return new ScaleReport.Row(size, design, Latencies.of(upserts), Latencies.of(writes).median(),
                Latencies.of(reads).median(), Latencies.of(firsts), hotLatency, spreadLatency, spreadHosts.size(), note);
    }

    /** Live apps stay up until the end: each is on its own address and is never asked for again. */
    private InetAddress serve(String label) {
        return services.serve(label, "app " + label);
    }

    private String label() {
        // Letters only, like app ids: Caddy's host label placeholder takes them as they are.
        StringBuilder s = new StringBuilder();
        int n = nextApp++;
        for (int i = 0; i < 8; i++) {
            s.append((char) ('a' + n % 26));
            n /= 26;
        }
        return s.toString();
    }

    private static String host(String label) {
        return label + "." + DOMAIN;
    }

    private String serviceTarget(String label) {
        return "vibed-app-" + label + SUFFIX + ":" + services.port();
    }

    private CaddyRouteTable table(dev.vibed.router.caddy.CaddyBase base) {
        return new CaddyRouteTable(caddy.adminUri(), CaddyProcess.SERVER, List.of("127.0.0.1:" + caddy.httpPort()),
                Duration.ofSeconds(60), base);
    }

    /** Replaces Caddy's whole config: the apps server with the given routes and the fallback (setup only). */
    private void load(List<Route> routes) throws IOException, InterruptedException {
        var list = Json.createArrayBuilder();
        routes.forEach(r -> list.add(CaddyRoutes.toJson(r)));
        list.add(CaddyRoutes.fallback());
        String config = Json.createObjectBuilder()
                .add("admin", Json.createObjectBuilder().add("listen", caddy.adminUri().getAuthority()))
                .add("apps", Json.createObjectBuilder().add("http", Json.createObjectBuilder().add("servers",
                        Json.createObjectBuilder().add(CaddyProcess.SERVER, Json.createObjectBuilder()
                                .add("listen", Json.createArrayBuilder().add("127.0.0.1:" + caddy.httpPort()))
                                .add("automatic_https", Json.createObjectBuilder().add("disable", true))
                                .add("protocols", Json.createArrayBuilder().add("h1").add("h2c"))
                                .add("routes", list)))))
                .build().toString();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(caddy.adminUri().resolve("/load"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("POST /load: " + res.statusCode() + " " + res.body());
        }
    }

    private void awaitOk(String host, String label) throws InterruptedException {
        long give = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < give) {
            try {
                HttpResponse<String> res = get(host);
                if (res.statusCode() == 200 && res.body().equals("app " + label)) {
                    return;
                }
            } catch (IOException e) {
                // Caddy closes connections when it reloads: ask again.
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException(host + " did not serve within 30 s");
    }

    private Latencies requests(List<String> hosts) throws IOException, InterruptedException {
        for (String h : hosts) {
            get(h); // warm: connection, DNS cache
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < args.requests(); i++) {
            String h = hosts.get(i % hosts.size());
            long t0 = System.nanoTime();
            HttpResponse<String> res = get(h);
            long t1 = System.nanoTime();
            if (res.statusCode() != 200) {
                throw new IllegalStateException(h + " answered " + res.statusCode() + " during the latency run");
            }
            ms.add((t1 - t0) / 1e6);
        }
        return Latencies.of(ms);
    }

    private HttpResponse<String> get(String host) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caddy.httpPort() + "/"))
                .header("Host", host).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String header() {
        String command = String.join(" ", "--sizes", String.join(",", args.sizes().stream().map(String::valueOf).toList()),
                "--out", args.out().toString(), "--samples", String.valueOf(args.samples()), "--requests", String.valueOf(args.requests()),
                "--spread", String.valueOf(args.spread()));
        return """
                # vibed-router: routing cost against the number of apps

                Real Caddy (%s), one process for the whole run; %d CPU cores; Java %s. Both designs measured in the same run.

                Command (from the repository root):

                ```
                ./vibed bench router %s
                ```
                """.formatted(caddyVersion(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), command);
    }

    private static String caddyVersion() {
        try {
            Process p = new ProcessBuilder("caddy", "version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return "Caddy " + v;
        } catch (IOException | InterruptedException e) {
            return "Caddy (version unknown)";
        }
    }

    @Override
    public void close() {
        pages.close();
        services.close();
        dns.close();
        caddy.close();
    }
}
