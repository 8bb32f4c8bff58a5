package dev.vibed.core.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * commons-compress treats a header block cut short by the end of the data as a clean end of archive. For an
 * upload that is a truncated archive, and the user should hear so rather than get half an app.
 */
final class StrictTarInputStream extends TarArchiveInputStream {

    StrictTarInputStream(InputStream in) {
        super(in, StandardCharsets.UTF_8.name());
    }

    @Override
    protected byte[] readRecord() throws IOException {
        long before = getBytesRead();
        byte[] record = super.readRecord();
        // After the first end-of-archive block a short read is normal (the second block is often missing).
        if (record == null && !isAtEOF() && getBytesRead() > before) {
            throw new EOFException("the tar data ends inside a header block");
        }
        return record;
    }
}
