package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/pflag"
)

func versionCommand() *command {
	return &command{
		name:     "version",
		usage:    "version",
		summary:  "print preflight's version, the Go version and the dependency versions",
		examples: []string{"preflight version"},
		setup: func(fs *pflag.FlagSet) func(context.Context, *env, []string) error {
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usageErrorf("takes no arguments")
				}
				version, deps := "(devel)", map[string]string{}
				if bi, ok := debug.ReadBuildInfo(); ok {
					if bi.Main.Version != "" {
						version = bi.Main.Version
					}
					for _, s := range bi.Settings {
						if s.Key == "vcs.revision" && len(s.Value) >= 12 {
							version += " " + s.Value[:12]
						}
					}
					for _, d := range bi.Deps {
						deps[d.Path] = d.Version
						if d.Replace != nil {
							deps[d.Path] = d.Version + " => " + d.Replace.Path + " " + d.Replace.Version
						}
					}
				}
				fmt.Fprintf(e.stdout, "preflight %s\n%s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
				for _, p := range []string{"github.com/miekg/dns", "github.com/emersion/go-msgauth", "github.com/spf13/pflag"} {
					v := deps[p]
					if v == "" {
						v = "(not linked)"
					}
					fmt.Fprintf(e.stdout, "%s %s\n", p, v)
				}
				return nil
			}
		},
	}
}
