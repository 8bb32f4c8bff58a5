package dev.vibed.kube.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One vibeD app (DESIGN section 2). The resource name is the app id, so every other name (Service, claim, route)
 * derives from it without a lookup. The CRD in {@code schema/crd/} is generated from this class.
 */
@Group(VibedApp.GROUP)
@Version(VibedApp.VERSION)
@Plural("vibedapps")
@Singular("vibedapp")
@ShortNames("vapp")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Template", jsonPath = ".spec.template", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VibedApp extends CustomResource<VibedAppSpec, VibedAppStatus> implements Namespaced {
    public static final String GROUP = "vibed.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "VibedApp";
    /** Added on create so that a delete waits until the controller has released claims, Service and route. */
    public static final String FINALIZER = "vibed.dev/finalizer";
    public static final String CRD_NAME = "vibedapps.vibed.dev";

    @Override
    protected VibedAppSpec initSpec() {
        return new VibedAppSpec();
    }
}
