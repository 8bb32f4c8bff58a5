package dev.vibed.kube.model;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;


/**
 * Owner references to a VibedApp. Objects we create for an app (claims, Service) name it as their controller, so
 * garbage collection removes them even if the finalizer were bypassed.
 */
public final class AppOwner {
    private AppOwner() {
    }

    public static OwnerReference of(VibedApp app) {
        return new OwnerReferenceBuilder()
                .withApiVersion(VibedApp.API_VERSION)
                .withKind(VibedApp.KIND)
                .withName(app.getMetadata().getName())
                .withUid(app.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
