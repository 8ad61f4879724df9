package vtl

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
