package dev.vibed.api.deploy;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Streaming multipart parsing over a Helidon request (Helidon's own multipart media module was not served here at
 * 4.2, so this does not depend on it).
 * Only the streaming iterator is used: parts are read one at a time, straight from the socket.
 */
final class MultipartUpload extends AbstractFileUpload<ServerRequest, DiskFileItem, DiskFileItemFactory> {

    MultipartUpload(long maxRequestBytes) {
        setSizeMax(maxRequestBytes);
        // source + metadata; a few more would only be noise from a confused client, and are rejected by name
        setFileCountMax(8);
    }

    static boolean isMultipart(ServerRequest req) {
        return req.headers().first(HeaderNames.CONTENT_TYPE)
                .map(ct -> ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data"))
                .orElse(false);
    }

    @Override
    public FileItemInputIterator getItemIterator(ServerRequest request) throws FileUploadException, IOException {
        return getItemIterator(context(request));
    }

    @Override
    public Map<String, List<DiskFileItem>> parseParameterMap(ServerRequest request) throws FileUploadException {
        return parseParameterMap(context(request));
    }

    @Override
    public List<DiskFileItem> parseRequest(ServerRequest request) throws FileUploadException {
        return parseRequest(context(request));
    }

    private static RequestContext context(ServerRequest req) {
        return new RequestContext() {
            @Override
            public String getCharacterEncoding() {
                return null;
            }

            @Override
            public long getContentLength() {
                return req.headers().contentLength().orElse(-1L);
            }

            @Override
            public String getContentType() {
                return req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
            }

            @Override
            public InputStream getInputStream() {
                return req.content().inputStream();
            }

            @Override
            public boolean isMultipartRelated() {
                return false;
            }
        };
    }
}
