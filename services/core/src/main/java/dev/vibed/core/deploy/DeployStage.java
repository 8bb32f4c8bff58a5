package dev.vibed.core.deploy;

import java.util.Locale;

/** The stages of a deploy, in order; each one ends with the event that starts the next. */
public enum DeployStage {
    /** the upload streamed to the spool */
    UPLOAD,
    /** the archive checked and classified */
    INSPECT,
    /** the blob and the app (version) written */
    STORE,
    /** a sandbox bound to the version */
    CLAIM,
    /** the source handed to the sandbox's agent */
    INJECT,
    /** the app listening on its port */
    START,
    /** the route to it in place */
    ROUTE,
    /** a request through the URL served: the deploy answers */
    CONFIRM;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
