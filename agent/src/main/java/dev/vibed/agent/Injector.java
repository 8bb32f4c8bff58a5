package dev.vibed.agent;

import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.ArchiveRejectedException;
import dev.vibed.core.archive.SafeExtractor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code POST /inject}: download, verify, extract into a new release, then swap the running app for it.
 * Everything that can be rejected is checked before the running app is touched, so a bad inject leaves the
 * old app serving.
 */
final class Injector {

    record Result(AgentState state, String revision) {
    }

    private final SourceDownloader downloader;
    private final SafeExtractor extractor;
    private final Releases releases;
    private final EntrypointDetector detector;
    private final AppSupervisor supervisor;
    private final SandboxCommand sandbox;
    private final ArchiveLimits limits;
    private final String bind;
    private final HeapSettler settler;
    /** One inject at a time: two concurrent swaps would fight over the port and the release directory. */
    private final ReentrantLock serial = new ReentrantLock();

    Injector(SourceDownloader downloader, SafeExtractor extractor, Releases releases, EntrypointDetector detector, AppSupervisor supervisor,
             SandboxCommand sandbox, ArchiveLimits limits, String bind, HeapSettler settler) {
        this.downloader = downloader;
        this.extractor = extractor;
        this.releases = releases;
        this.detector = detector;
        this.supervisor = supervisor;
        this.sandbox = sandbox;
        this.limits = limits;
        this.bind = bind;
        this.settler = settler;
    }

    Result inject(InjectRequest req) throws ApiException, InterruptedException {
        UserEnv.validate(req.env());
        String root = checkRoot(req.root());
        long t0 = System.nanoTime();
        serial.lockInterruptibly();
        long downloaded;
        long extracted;
        try {
            Path download = releases.newDownload();
            Path release = releases.newRelease();
            supervisor.anticipate(release, req.env(), req.port());
            LaunchPlan plan;
            try {
                downloader.download(req.sourceUrl(), req.sha256(), limits.maxCompressedBytes(), download);
                downloaded = System.nanoTime();
                extract(download, release);
                extracted = System.nanoTime();
                Path appDir = root.isEmpty() ? release : release.resolve(root);
                if (!Files.isDirectory(appDir, LinkOption.NOFOLLOW_LINKS)) {
                    throw ApiException.badRequest("bad_root", "'root' " + root + " is not a folder of the archive");
                }
                plan = detector.detect(appDir, sandbox.appDir(release, root), req.template(), req.entrypoint(),
                        req.port(), bind, req.env());
            } catch (ApiException | RuntimeException e) {
                Releases.deleteQuietly(release);
                throw e;
            } finally {
                Releases.deleteQuietly(download);
            }
            long detected = System.nanoTime();
            // Stage times in the log: where an inject's time goes is the first question when a deploy is slow.
            AgentLog.info("inject revision=" + req.revision() + " template=" + plan.template() + " run='"
                    + plan.describe() + "' port=" + req.port() + " (download " + ms(t0, downloaded) + " ms, extract "
                    + ms(downloaded, extracted) + " ms, detect " + ms(extracted, detected) + " ms)");
            AgentState state = supervisor.start(new AppSupervisor.Deployment(req.revision(), req.port(), release,
                    root, plan, req.env()));
            long started = System.nanoTime();
            releases.pruneExcept(release);
            AgentLog.info("inject revision=" + req.revision() + " launched in " + ms(detected, started)
                    + " ms (inject total " + ms(t0, System.nanoTime()) + " ms)");
            return new Result(state, req.revision());
        } finally {
            serial.unlock();
            settler.settleLater();
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    private void extract(Path tarGz, Path release) throws ApiException {
        try {
            extractor.extract(tarGz, release, limits);
        } catch (ArchiveRejectedException e) {
            String entry = e.entry() == null ? "" : " (entry '" + e.entry() + "')";
            throw ApiException.badRequest(e.code(), e.getMessage() + entry);
        } catch (IOException e) {
            throw new ApiException(500, "extract_failed", "could not extract the source: " + e.getMessage());
        }
    }

    /** The classifier's {@code root}: a relative folder; normalised here because it reaches a mount path. */
    private static String checkRoot(String root) throws ApiException {
        if (root == null || root.isEmpty() || root.equals(".") || root.equals("./")) {
            return "";
        }
        String r = EntrypointDetector.relative(root);
        if (r == null) {
            throw ApiException.badRequest("bad_request", "'root' must be a relative folder without '..'");
        }
        StringBuilder clean = new StringBuilder();
        for (String seg : r.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.chars().anyMatch(c -> c < 0x20)) {
                throw ApiException.badRequest("bad_request", "'root' contains control characters");
            }
            clean.append(clean.isEmpty() ? "" : "/").append(seg);
        }
        return clean.toString();
    }
}
