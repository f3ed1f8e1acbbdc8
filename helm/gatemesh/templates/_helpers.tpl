{{/* Labels every object of the release carries. */}}
{{- define "gatemesh.labels" -}}
app.kubernetes.io/part-of: gatemesh
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* An image reference: (dict "image" .Values.x.image "root" $). */}}
{{- define "gatemesh.image" -}}
{{- $root := .root -}}
{{- $tag := .image.tag | default $root.Values.images.tag | default $root.Chart.AppVersion -}}
{{- if $root.Values.images.registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $root.Values.images.registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end }}

{{/* The config server's Service name: the control plane's service account (its certificate names it). */}}
{{- define "gatemesh.configServer.name" -}}gatemesh-config-server{{- end }}

{{/* The URL proxies dial: the config server's mesh port. */}}
{{- define "gatemesh.controlPlane" -}}
{{- .Values.injection.controlPlane | default (printf "https://%s.%s.svc:15012" (include "gatemesh.configServer.name" .) .Release.Namespace) -}}
{{- end }}

{{/* The container securityContext of the Java apps: no privileges, read-only root file system. */}}
{{- define "gatemesh.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: ["ALL"]
{{- end }}
