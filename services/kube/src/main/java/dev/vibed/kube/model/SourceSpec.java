package dev.vibed.kube.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where the version's source archive is stored: core's {@code SourceRef}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceSpec {
    private String blobKey;
    private String sha256;
    private long sizeBytes;

    public SourceSpec() {
    }

    public SourceSpec(String blobKey, String sha256, long sizeBytes) {
        this.blobKey = blobKey;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
    }

    public String getBlobKey() {
        return blobKey;
    }

    public void setBlobKey(String blobKey) {
        this.blobKey = blobKey;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public void setSizeBytes(long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }
}
