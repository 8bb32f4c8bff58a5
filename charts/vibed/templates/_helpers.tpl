{{/* Names, labels and shared snippets. Object names are fixed ("vibed", "vibed-controller", ...): one vibeD per namespace pair. */}}

{{- define "vibed.workloadsNamespace" -}}
{{- .Values.workloads.namespace -}}
{{- end -}}

{{/* Where Caddy sends app hosts it could not reach: the routers' page server (wildcard routing). */}}
{{- define "vibed.pagesDial" -}}
{{- printf "vibed-router-pages.%s.svc.%s:%d" .Release.Namespace .Values.clusterDomain (int .Values.router.pagesPort) -}}
{{- end -}}

{{- define "vibed.tag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "vibed.image" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- if contains "/" $name -}}{{ $name }}{{- else -}}{{ printf "%s/%s:%s" $root.Values.image.registry $name (include "vibed.tag" $root) }}{{- end -}}
{{- end -}}

{{- define "vibed.labels" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
app.kubernetes.io/name: vibed
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $component }}
app.kubernetes.io/part-of: vibed
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version }}
{{- end -}}

{{- define "vibed.selector" -}}
{{- $root := index . 0 -}}{{- $component := index . 1 -}}
app.kubernetes.io/name: vibed
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ $component }}
{{- end -}}

{{/* Prometheus scrape annotations for a pod: [root, port]. */}}
{{- define "vibed.scrape" -}}
{{- $root := index . 0 -}}{{- $port := index . 1 -}}
{{- if $root.Values.metrics.scrapeAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ $port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{- define "vibed.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "vibed.containerSecurityContext" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* HTTP probes on /healthz (liveness) and /readyz (readiness): [port]. */}}
{{- define "vibed.probes" -}}
livenessProbe:
  httpGet: {path: /healthz, port: {{ . }}}
  initialDelaySeconds: 10
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: {{ . }}}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{- define "vibed.s3Secret" -}}
{{- .Values.s3.existingSecret | default "vibed-s3" -}}
{{- end -}}

{{- define "vibed.s3Endpoint" -}}
{{- if .Values.s3.endpoint -}}{{ .Values.s3.endpoint }}{{- else if .Values.minio.enabled -}}{{ printf "http://vibed-minio.%s.svc.%s:9000" .Release.Namespace .Values.clusterDomain }}{{- else -}}{{ fail "set s3.endpoint, or minio.enabled=true for a dev cluster" }}{{- end -}}
{{- end -}}

{{/* Settings every cluster component reads (env form of their --flags). */}}
{{- define "vibed.commonEnv" -}}
- name: VIBED_NAMESPACE
  value: {{ include "vibed.workloadsNamespace" . | quote }}
- name: VIBED_DOMAIN
  value: {{ .Values.domain | quote }}
- name: VIBED_PUBLIC_SCHEME
  value: {{ .Values.publicScheme | quote }}
- name: VIBED_PUBLIC_PORT
  value: {{ .Values.publicPort | quote }}
- name: POD_NAMESPACE
  valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
- name: JAVA_TOOL_OPTIONS
  value: "-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
{{- end -}}

{{- define "vibed.s3Env" -}}
- name: VIBED_S3_ENDPOINT
  value: {{ include "vibed.s3Endpoint" . | quote }}
{{- if .Values.s3.presignEndpoint }}
- name: VIBED_S3_PRESIGN_ENDPOINT
  value: {{ .Values.s3.presignEndpoint | quote }}
{{- end }}
- name: VIBED_S3_REGION
  value: {{ .Values.s3.region | quote }}
- name: VIBED_S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: VIBED_S3_ACCESS_KEY
  valueFrom: {secretKeyRef: {name: {{ include "vibed.s3Secret" . }}, key: access-key}}
- name: VIBED_S3_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ include "vibed.s3Secret" . }}, key: secret-key}}
- name: VIBED_AGENT_TOKEN_SECRET
  value: {{ .Values.agent.existingSecret | default "vibed-agent-token" | quote }}
{{- end -}}

{{- define "vibed.pullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}
