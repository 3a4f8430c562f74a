// SPDX-License-Identifier: GPL-2.0-only

// cdi-check resolves CDI devices the way a container runtime does, with
// the CDI library Debian packages for podman: a registry over one spec
// directory, refreshed, then InjectDevices into an empty OCI spec.  It
// prints what each device puts into a container, as JSON:
//
//	{"zsv.io/slice=a": {"deviceNodes": [{"path": "/dev/zsv/a", ...}],
//	                    "env": ["ZSV_SLICE=a", ...]}}
//
// Usage: cdi-check [-dir DIR] [DEVICE...]
//
// Without DEVICE, every device of every spec in DIR (default
// /var/run/cdi, which must exist).  Unlike podman, which logs a refused spec only at debug
// level and then says "unresolvable CDI devices", it fails loudly: any
// spec the library refuses, any directory it cannot scan, any device it
// cannot resolve is an error on stderr and exit status 1.  Usage errors
// exit 2.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/container-orchestrated-devices/container-device-interface/pkg/cdi"
	oci "github.com/opencontainers/runtime-spec/specs-go"
)

type resolved struct {
	DeviceNodes []oci.LinuxDevice `json:"deviceNodes"`
	Env         []string          `json:"env"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "cdi-check: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	dir := flag.String("dir", "/var/run/cdi", "the CDI spec directory")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: cdi-check [-dir DIR] [DEVICE...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	// The library skips a missing directory; a checker must not.
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		fail("spec directory %s: not a directory: %v", *dir, err)
	}

	// As podman 4.3 does, but with this one directory and no watcher.
	reg := cdi.GetRegistry(cdi.WithSpecDirs(*dir), cdi.WithAutoRefresh(false))
	refreshErr := reg.Refresh()
	bad := false
	for d, err := range reg.GetSpecDirErrors() {
		fmt.Fprintf(os.Stderr, "cdi-check: spec directory %s: %v\n", d, err)
		bad = true
	}
	errs := reg.GetErrors()
	paths := make([]string, 0, len(errs))
	for p := range errs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, err := range errs[p] {
			fmt.Fprintf(os.Stderr, "cdi-check: spec %s refused: %v\n", p, err)
			bad = true
		}
	}
	if bad {
		os.Exit(1)
	}
	if refreshErr != nil {
		fail("refreshing the registry: %v", refreshErr)
	}

	devices := flag.Args()
	if len(devices) == 0 {
		devices = reg.DeviceDB().ListDevices()
	}
	out := map[string]resolved{}
	for _, dev := range devices {
		// One OCI spec per device: what that device alone adds.
		spec := &oci.Spec{Process: &oci.Process{}, Linux: &oci.Linux{}}
		unresolved, err := reg.InjectDevices(spec, dev)
		if len(unresolved) > 0 {
			fail("unresolvable CDI device %s", dev)
		}
		if err != nil {
			fail("injecting %s: %v", dev, err)
		}
		r := resolved{DeviceNodes: spec.Linux.Devices, Env: spec.Process.Env}
		if r.DeviceNodes == nil {
			r.DeviceNodes = []oci.LinuxDevice{}
		}
		if r.Env == nil {
			r.Env = []string{}
		}
		out[dev] = r
	}
	text, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		fail("%v", err)
	}
	fmt.Println(string(text))
}
