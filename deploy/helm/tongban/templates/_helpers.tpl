{{/*
Chart name, truncated to 63 characters (the DNS label limit).
*/}}
{{- define "tongban.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name, prefixed by the chart name unless it already contains
it. Module resources append "-<module>", so keep release names short.
*/}}
{{- define "tongban.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tongban.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tongban.labels" -}}
helm.sh/chart: {{ include "tongban.chart" . }}
{{ include "tongban.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | toString | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tongban
{{- end }}

{{- define "tongban.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tongban.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Per-module names and labels. Argument: (dict "root" $ "name" <module>).
*/}}
{{- define "tongban.componentName" -}}
{{- printf "%s-%s" (include "tongban.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tongban.componentLabels" -}}
{{ include "tongban.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "tongban.componentSelectorLabels" -}}
{{ include "tongban.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "tongban.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
Enabled module names, comma-separated, in key order: the argument of `--modules=`.
*/}}
{{- define "tongban.enabledModules" -}}
{{- $names := list }}
{{- range $name, $module := .Values.modules }}
{{- if $module.enabled }}
{{- $names = append $names $name }}
{{- end }}
{{- end }}
{{- join "," $names }}
{{- end }}

{{/*
A module's effective settings: the chart-wide defaults overridden by the module's own keys (maps
merged one level deep, so `autoscaling: {enabled: true}` keeps the default replica bounds; other
values replace the default). Writes into the dict passed as "out", which keeps the values' own
types (no round trip through YAML). Argument: (dict "root" $ "module" <module values> "out" <dict>).
*/}}
{{- define "tongban.moduleValues" -}}
{{- $root := .root }}
{{- $module := .module }}
{{- $out := .out }}
{{- range $key := list "replicaCount" "resources" "autoscaling" "podDisruptionBudget" "podAnnotations" "nodeSelector" "tolerations" "affinity" "topologySpreadConstraints" }}
{{- $value := index $root.Values $key }}
{{- if hasKey $module $key }}
{{- $override := index $module $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $override) }}
{{- $merged := deepCopy $value }}
{{- range $k, $v := $override }}
{{- $_ := set $merged $k $v }}
{{- end }}
{{- $value = $merged }}
{{- else }}
{{- $value = $override }}
{{- end }}
{{- end }}
{{- $_ := set $out $key $value }}
{{- end }}
{{- $_ := set $out "env" (get $module "env" | default dict) }}
{{- end }}

{{/*
Non-secret settings shared by every module: the ConfigMap's data, and the migration job's env.
*/}}
{{- define "tongban.configData" -}}
NODE_ENV: "production"
TONGBAN_HOST: {{ .Values.config.host | quote }}
TONGBAN_PORT: "8080"
TONGBAN_DATA_DIR: "/var/lib/tongban"
TONGBAN_LOG_LEVEL: {{ .Values.config.logLevel | quote }}
{{- with .Values.config.publicUrl }}
TONGBAN_PUBLIC_URL: {{ . | quote }}
{{- end }}
{{- if and .Values.nats.url (not .Values.nats.existingSecret) }}
TONGBAN_NATS_URL: {{ .Values.nats.url | quote }}
{{- end }}
{{- range $key, $value := .Values.config.env }}
{{ $key }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/*
TONGBAN_DATABASE_URL from its Secret (a list of EnvVar).
*/}}
{{- define "tongban.databaseEnv" -}}
- name: TONGBAN_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret | default .Values.existingSecret | required "set existingSecret or database.existingSecret: the Secret holding the PostgreSQL URL" }}
      key: {{ .Values.database.secretKey | required "database.secretKey is required" }}
{{- end }}

{{/*
Every secret setting a server needs (a list of EnvVar).
*/}}
{{- define "tongban.secretEnv" -}}
{{ include "tongban.databaseEnv" . }}
- name: TONGBAN_OPERATOR_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.operatorToken.existingSecret | default .Values.existingSecret | required "set existingSecret or operatorToken.existingSecret: the Secret holding the operator token" }}
      key: {{ .Values.operatorToken.secretKey | required "operatorToken.secretKey is required" }}
{{- if .Values.nats.existingSecret }}
- name: TONGBAN_NATS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.nats.existingSecret }}
      key: {{ .Values.nats.secretKey | required "nats.secretKey is required with nats.existingSecret" }}
{{- end }}
{{- end }}

{{/*
Checks the values once; renders nothing. Included by configmap.yaml.
*/}}
{{- define "tongban.validate" -}}
{{- $enabled := list }}
{{- range $name, $module := .Values.modules }}
{{- if not (regexMatch "^[a-z]+$" $name) }}
{{- fail (printf "modules.%s: module names are lower-case letters only" $name) }}
{{- end }}
{{- if $module.enabled }}
{{- $enabled = append $enabled $name }}
{{- end }}
{{- end }}
{{- if not $enabled }}
{{- fail "no module is enabled: set modules.<name>.enabled=true for at least one" }}
{{- end }}
{{- if and (gt (len $enabled) 1) (not .Values.nats.url) (not .Values.nats.existingSecret) }}
{{- fail "more than one module is enabled, so events must cross processes: set nats.url (or nats.existingSecret) to a NATS JetStream server" }}
{{- end }}
{{- $managed := list "NODE_ENV" "TONGBAN_HOST" "TONGBAN_PORT" "TONGBAN_DATA_DIR" "TONGBAN_LOG_LEVEL" "TONGBAN_PUBLIC_URL" "TONGBAN_NATS_URL" "TONGBAN_DATABASE_URL" "TONGBAN_OPERATOR_TOKEN" }}
{{- range $key, $_ := .Values.config.env }}
{{- if or (has $key $managed) (regexMatch "^TONGBAN_SERVICE_[A-Z]+_URL$" $key) }}
{{- fail (printf "config.env.%s is set by the chart itself (secrets come from existingSecret; see values.yaml)" $key) }}
{{- end }}
{{- end }}
{{- end }}
