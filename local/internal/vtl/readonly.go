package vtl

import "sort"

// mutators are the Java methods of lists and maps that change them. A template that calls
// none of them, under any receiver, and assigns no property or index, cannot change a map or
// list it reads.
var mutators = map[string]bool{
	"add": true, "addAll": true, "clear": true, "put": true, "putAll": true, "putIfAbsent": true,
	"remove": true, "set": true,
}

// ReadOnly reports whether the template cannot change the maps and lists it is given: it has
// no #set of a property or an index ($m.k, $l[0]) and calls no method that changes a list or
// a map (add, addAll, clear, put, putAll, putIfAbsent, remove, set), whatever it calls them
// on. A host may then hand such a template shared values instead of copies. The answer errs
// on the safe side: a host object's method of one of those names makes a template not
// read-only.
func (t *Template) ReadOnly() bool { return t.readOnly }

// nodesReadOnly walks statements for what ReadOnly rules out.
func nodesReadOnly(nodes []node) bool {
	for _, n := range nodes {
		switch x := n.(type) {
		case *refNode:
			if !refReadOnly(x.ref) {
				return false
			}
		case *setNode:
			if len(x.lhs.parts) > 0 || !refReadOnly(x.lhs) || !exprReadOnly(x.rhs) {
				return false
			}
		case *ifNode:
			for _, b := range x.branches {
				if !exprReadOnly(b.cond) || !nodesReadOnly(b.body) {
					return false
				}
			}
			if !nodesReadOnly(x.els) {
				return false
			}
		case *foreachNode:
			if !exprReadOnly(x.iter) || !nodesReadOnly(x.body) {
				return false
			}
		case *defineNode:
			if !nodesReadOnly(x.body) {
				return false
			}
		}
	}
	return true
}

func refReadOnly(r *reference) bool {
	for _, p := range r.parts {
		switch p.kind {
		case partMethod:
			if mutators[p.name] {
				return false
			}
			for _, a := range p.args {
				if !exprReadOnly(a) {
					return false
				}
			}
		case partIndex:
			if !exprReadOnly(p.index) {
				return false
			}
		}
	}
	return true
}

func exprReadOnly(e expr) bool {
	switch x := e.(type) {
	case *interpExpr:
		return nodesReadOnly(x.nodes)
	case *refExpr:
		return refReadOnly(x.ref)
	case *listExpr:
		for _, it := range x.items {
			if !exprReadOnly(it) {
				return false
			}
		}
	case *mapExpr:
		for i := range x.keys {
			if !exprReadOnly(x.keys[i]) || !exprReadOnly(x.vals[i]) {
				return false
			}
		}
	case *rangeExpr:
		return exprReadOnly(x.from) && exprReadOnly(x.to)
	case *binaryExpr:
		return exprReadOnly(x.l) && exprReadOnly(x.r)
	case *notExpr:
		return exprReadOnly(x.x)
	case *groupExpr:
		return exprReadOnly(x.x)
	}
	return true
}

// RootProperties returns the properties the template reads directly off the variable name
// ($name.prop, $name.prop.more, ${name.prop}), sorted and without repeats, and whether they
// are all the template does with $name. only is false when it also uses $name in any other
// way (alone, through a method or an index, or by naming a variable of its own so with #set,
// #foreach or #define): a host must then supply all of it. A host uses this to build only
// the parts of a large variable that a template can see.
func (t *Template) RootProperties(name string) (props []string, only bool) {
	w := &rootWalk{name: name, only: true, seen: map[string]bool{}}
	w.nodes(t.nodes)
	for p := range w.seen {
		props = append(props, p)
	}
	sort.Strings(props)
	return props, w.only
}

type rootWalk struct {
	name string
	only bool
	seen map[string]bool
}

func (w *rootWalk) nodes(nodes []node) {
	for _, n := range nodes {
		switch x := n.(type) {
		case *refNode:
			w.ref(x.ref)
		case *setNode:
			if x.lhs.name == w.name && len(x.lhs.parts) == 0 {
				w.only = false
			}
			w.ref(x.lhs)
			w.expr(x.rhs)
		case *ifNode:
			for _, b := range x.branches {
				w.expr(b.cond)
				w.nodes(b.body)
			}
			w.nodes(x.els)
		case *foreachNode:
			if x.varName == w.name {
				w.only = false
			}
			w.expr(x.iter)
			w.nodes(x.body)
		case *defineNode:
			if x.name == w.name {
				w.only = false
			}
			w.nodes(x.body)
		}
	}
}

func (w *rootWalk) ref(r *reference) {
	if r.name == w.name {
		if len(r.parts) > 0 && r.parts[0].kind == partProp {
			w.seen[r.parts[0].name] = true
		} else {
			w.only = false
		}
	}
	for _, p := range r.parts {
		for _, a := range p.args {
			w.expr(a)
		}
		if p.kind == partIndex {
			w.expr(p.index)
		}
	}
}

func (w *rootWalk) expr(e expr) {
	switch x := e.(type) {
	case *interpExpr:
		w.nodes(x.nodes)
	case *refExpr:
		w.ref(x.ref)
	case *listExpr:
		for _, it := range x.items {
			w.expr(it)
		}
	case *mapExpr:
		for i := range x.keys {
			w.expr(x.keys[i])
			w.expr(x.vals[i])
		}
	case *rangeExpr:
		w.expr(x.from)
		w.expr(x.to)
	case *binaryExpr:
		w.expr(x.l)
		w.expr(x.r)
	case *notExpr:
		w.expr(x.x)
	case *groupExpr:
		w.expr(x.x)
	}
}
