{{/* The chart's name, for the app.kubernetes.io/name label. */}}
{{- define "eraser.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object the chart renders. */}}
{{- define "eraser.labels" -}}
app.kubernetes.io/name: {{ include "eraser.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The manager's pod selector. Worker pods must never carry all of these labels. */}}
{{- define "eraser.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eraser.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
control-plane: controller-manager
{{- end -}}

{{/* The one image every component runs by default: deploy.image, tagged appVersion. */}}
{{- define "eraser.imageRepo" -}}
{{- .Values.deploy.image.repo -}}
{{- end -}}
{{- define "eraser.imageTag" -}}
{{- default .Chart.AppVersion .Values.deploy.image.tag -}}
{{- end -}}

{{/*
runtimeConfig with the image of every component filled in: a component whose repo or tag
is empty runs the manager's own image.
*/}}
{{- define "eraser.runtimeConfig" -}}
{{- $config := deepCopy .Values.runtimeConfig -}}
{{- $components := default dict $config.components -}}
{{- range $name := list "collector" "scanner" "remover" -}}
{{- $component := default dict (get $components $name) -}}
{{- $image := default dict (get $component "image") -}}
{{- if not $image.repo -}}{{- $_ := set $image "repo" (include "eraser.imageRepo" $) -}}{{- end -}}
{{- if not $image.tag -}}{{- $_ := set $image "tag" (include "eraser.imageTag" $) -}}{{- end -}}
{{- $_ := set $component "image" $image -}}
{{- $_ := set $components $name $component -}}
{{- end -}}
{{- $_ := set $config "components" $components -}}
{{- toYaml $config -}}
{{- end -}}
