//go:build purego || !amd64

package kernel

func detectPath() cpuPath { return pathGeneric }

func detectCaches() cacheSizes { return defaultCaches }

func cpuModel() string { return "unknown CPU (pure Go build)" }

func setArchPath(p cpuPath) { setTranscendPath(p) }
