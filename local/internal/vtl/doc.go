// Package vtl is a Velocity Template Language engine (placeholder doc, rewritten below).
package vtl
