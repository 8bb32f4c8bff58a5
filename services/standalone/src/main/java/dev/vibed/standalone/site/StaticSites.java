package dev.vibed.standalone.site;

import dev.vibed.core.agent.LogLine;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.ArchiveRejectedException;
import dev.vibed.core.archive.SafeExtractor;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.files.FileTrees;
import dev.vibed.core.site.SiteFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The shared static host of standalone mode: every static site, one folder each under the data dir, served by the
 * vibeD process itself. A static site runs no user code, so it needs no sandbox of its own (no agent JVM, no
 * namespace): its files only have to be unpacked under the archive rules and served under the site rules
 * ({@link SiteFiles}). A site is bound to one claim key, as a sandbox would be; injecting reads the blob straight
 * from the local store and unpacks it into a fresh folder, checking its sha256 on the same read (the folder serves
 * only if it matches); releasing deletes the folder. Sites do not survive a restart: the folder is swept at start,
 * and the reconciler injects every app again from its blob.
 */
public final class StaticSites implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StaticSites.class.getName());
    private static final int LOG_LINES = 50;

    /** A site whose files serve: the inject's revision and the folder its files are served from. */
    public record Served(String revision, Path release, SiteFiles files) {
    }

    /** One claim's site. Its log says what the host did for it, as a sandbox's would. */
    public static final class Site {
        private final String claimKey;
        private final Path dir;
        private final List<LogLine> log = new ArrayList<>();
        private long seq;
        private volatile Served served;
        private volatile boolean released;

        private Site(String claimKey, Path dir) {
            this.claimKey = claimKey;
            this.dir = dir;
        }

        public String claimKey() {
            return claimKey;
        }

        public Optional<Served> served() {
            return Optional.ofNullable(served);
        }

        public boolean released() {
            return released;
        }

        /** The lines after {@code afterSeq}, at most the last {@code tail}. */
        public synchronized List<LogLine> lines(long afterSeq, int tail) {
            List<LogLine> after = log.stream().filter(l -> l.seq() > afterSeq).toList();
            return after.subList(Math.max(0, after.size() - tail), after.size());
        }

        /** Returns once a line after {@code afterSeq} is there or the site is released, or after {@code max}. */
        public synchronized void awaitLineAfter(long afterSeq, Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            for (long left = max.toNanos(); seq <= afterSeq && !released && left > 0; left = end - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        private synchronized void log(Clock clock, String line) {
            log.add(new LogLine(++seq, clock.instant().toString(), "stdout", line));
            if (log.size() > LOG_LINES) {
                log.removeFirst();
            }
            notifyAll();
        }
    }

    /** The inject was refused: the same blob would be refused again (its sha256 differs, the archive is hostile). */
    public static final class RejectedException extends Exception {
        public RejectedException(String message) {
            super(message);
        }
    }

    private final Path root;
    private final BlobStore blobs;
    private final ArchiveLimits limits;
    private final Clock clock;
    private final SafeExtractor extractor = new SafeExtractor();
    private final Map<String, Site> sites = new ConcurrentHashMap<>();
    private final AtomicLong releases = new AtomicLong();
    /** Changes with every start of the process: the "boot" of the host, as an agent's bootId would. */
    private final String bootId = UUID.randomUUID().toString();

    public StaticSites(Path root, BlobStore blobs, ArchiveLimits limits, Clock clock) throws IOException {
        this.root = root;
        this.blobs = blobs;
        this.limits = limits;
        this.clock = clock;
        // Sites of an earlier run are stale (their claims are gone): the reconciler injects them again.
        FileTrees.deleteTree(root);
        Files.createDirectories(root);
    }

    public String bootId() {
        return bootId;
    }

    /** The site of {@code claimKey}, bound now if it has none: binding costs nothing, so it never waits. */
    public Site bind(String claimKey) {
        return sites.computeIfAbsent(claimKey, k -> new Site(k, root.resolve(SiteAddress.sandboxName(k))));
    }

    public Optional<Site> get(String claimKey) {
        return Optional.ofNullable(sites.get(claimKey));
    }

    public Set<String> claimKeys() {
        return Set.copyOf(sites.keySet());
    }

    /** Deletes the site and its files. Unknown keys are ignored. */
    public void release(String claimKey) {
        Site site = sites.remove(claimKey);
        if (site == null) {
            return;
        }
        synchronized (site) {
            site.released = true;
            site.served = null;
            deleteQuietly(site.dir);
            site.notifyAll();
        }
    }

    /** Stops serving the site's files (it answers as starting until the next inject), keeping the claim. */
    public void stop(String claimKey) {
        get(claimKey).ifPresent(site -> {
            synchronized (site) {
                Served old = site.served;
                site.served = null;
                if (old != null) {
                    deleteQuietly(old.release());
                }
            }
        });
    }

    /**
     * Unpacks the blob with {@code sha256} into a new folder of the site and serves it from {@code appRoot} (the
     * classifier's folder inside the archive). The folder served before is deleted once the new one serves.
     *
     * @throws RejectedException when the blob is missing, its sha256 differs, or the archive breaks the rules
     * @throws IOException       when reading or writing failed (worth trying again)
     */
    public Served inject(String claimKey, String sha256, String appRoot, String revision)
            throws RejectedException, IOException {
        Site site = get(claimKey).orElseThrow(() -> new IOException("no site is bound to " + claimKey));
        synchronized (site) {
            if (site.released) {
                throw new IOException("the site of " + claimKey + " was released");
            }
            Files.createDirectories(site.dir);
            Path release = site.dir.resolve("r" + releases.incrementAndGet());
            try {
                extractChecked(BlobStore.keyFor(sha256), sha256, release);
                Path served = release.resolve(appRoot).normalize();
                if (!served.startsWith(release) || !Files.isDirectory(served, LinkOption.NOFOLLOW_LINKS)) {
                    throw new RejectedException("'root' " + appRoot + " is not a folder of the archive");
                }
                Served old = site.served;
                site.served = new Served(revision, release, new SiteFiles(served));
                if (old != null) {
                    deleteQuietly(old.release());
                }
            } catch (ArchiveRejectedException e) {
                deleteQuietly(release);
                String entry = e.entry() == null ? "" : " (entry '" + e.entry() + "')";
                throw new RejectedException(e.getMessage() + entry);
            } catch (RejectedException | IOException | RuntimeException e) {
                deleteQuietly(release);
                throw e;
            }
            site.log(clock, "serving static files of revision " + revision + " from the shared static host");
            return site.served;
        }
    }

    /** Deletes every site, as stopping vibeD ends every sandbox: a stopped vibeD leaves no unpacked sources behind. */
    @Override
    public void close() {
        claimKeys().forEach(this::release);
        deleteQuietly(root);
    }

    /**
     * Unpacks the blob into {@code release} while hashing the same bytes, in one read of the file (no copy of it),
     * and refuses it when its sha256 differs: the release is then deleted by the caller before anything serves it.
     */
    private void extractChecked(String key, String sha256, Path release) throws RejectedException, IOException, ArchiveRejectedException {
        if (!blobs.exists(key)) {
            throw new RejectedException("the source " + key + " is not in the blob store");
        }
        long max = limits.maxCompressedBytes();
        try (HashingInputStream in = new HashingInputStream(blobs.open(key))) {
            extractor.extract(in, release, limits);
            // The hash covers the whole file, also what follows the gzip stream.
            in.drain(max);
            if (in.count() > max) {
                throw new RejectedException("the source is larger than " + max + " bytes");
            }
            String actual = in.hex();
            if (!actual.equals(sha256)) {
                throw new RejectedException("the source's sha256 is " + actual + ", not " + sha256);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException e) {
            LOG.warning("could not delete " + dir.getFileName() + ": " + e.getMessage() + "; the next start sweeps it");
        }
    }
}
