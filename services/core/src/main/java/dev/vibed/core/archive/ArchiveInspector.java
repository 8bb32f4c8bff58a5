package dev.vibed.core.archive;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks an uploaded .tar.gz and lists what it holds, in one streaming pass that writes nothing to disk. Run it
 * on upload so a hostile archive is refused before it is stored or sent anywhere. Stateless and thread-safe:
 * one instance can serve every request.
 */
public final class ArchiveInspector {

    /**
     * @return the manifest of an acceptable archive (possibly empty: the classifier reports that)
     * @throws ArchiveRejectedException when the archive is broken, too big or hostile; the code says which
     * @throws IOException              when the file itself cannot be read
     */
    public ArchiveManifest inspect(Path tarGz, ArchiveLimits limits) throws ArchiveRejectedException, IOException {
        return ArchiveWalker.walk(tarGz, limits, EntrySink.DISCARD);
    }
}
