package applets

import (
	"strings"

	"devenv/internal/images"
)

// toolVersions reads the tool versions an environment's image recorded;
// a container carries its image's labels, so nothing runs to know them.
func toolVersions(labels map[string]string) map[string]string {
	var tools map[string]string
	for k, v := range labels {
		if name, ok := strings.CutPrefix(k, images.ToolLabelPrefix); ok {
			if tools == nil {
				tools = map[string]string{}
			}
			tools[name] = v
		}
	}
	return tools
}
