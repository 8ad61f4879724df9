package model

import (
	"fmt"

	"github.com/gatehouse-dev/gatehouse/local/internal/assembly"
	"github.com/gatehouse-dev/gatehouse/local/internal/intrinsics"
)

const (
	typeRole          = "AWS::IAM::Role"
	typePolicy        = "AWS::IAM::Policy"
	typeManagedPolicy = "AWS::IAM::ManagedPolicy"
)

// iamState indexes the roles and customer managed policies of the assembly while policies are
// attached to roles.
type iamState struct {
	byName   map[string]*Role // by roleKey: what AWS::IAM::Policy's Roles names
	byID     map[string]*Role // by resKey of the AWS::IAM::Role
	byARN    map[string]*Role
	managed  map[string]*managedPolicy // by resKey and by ARN
	attached map[string]bool           // role ARN + "\x00" + policy key: IAM attaches a policy once
}

type managedPolicy struct {
	key        string // resKey of the AWS::IAM::ManagedPolicy
	statements []*Statement
}

func newIAMState() iamState {
	return iamState{
		byName: map[string]*Role{}, byID: map[string]*Role{}, byARN: map[string]*Role{},
		managed: map[string]*managedPolicy{}, attached: map[string]bool{},
	}
}

// roleKey identifies a role by name: names are unique within an account, whatever the path.
func roleKey(account, name string) string { return account + "\x00" + name }

// resKey identifies a resource of the assembly.
func resKey(st *stackState, logicalID string) string { return st.s.Name + "\x00" + logicalID }

// addRole adds an AWS::IAM::Role with its inline policies. Its ARN is what Fn::GetAtt Arn
// gives, so it is exactly the Role of the functions that use it.
func (b *builder) addRole(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRole {
		return false, nil
	}
	name, err := st.r.Ref(res.LogicalID)
	if err != nil {
		return true, propErr(st, res, "RoleName", err)
	}
	arn, err := st.r.GetAtt(res.LogicalID, "Arn")
	if err != nil {
		return true, propErr(st, res, "RoleName", err)
	}
	key := roleKey(st.r.Account(), name.(string))
	if prev := b.iam.byName[key]; prev != nil {
		return true, propErr(st, res, "RoleName", fmt.Errorf("role name %q is already used by resource %q of stack %q", name, prev.LogicalID, prev.Stack))
	}
	role := &Role{Stack: st.s.Name, LogicalID: res.LogicalID, ARN: arn.(string)}
	b.iam.byName[key], b.iam.byID[resKey(st, res.LogicalID)], b.iam.byARN[role.ARN] = role, role, role
	b.m.Roles = append(b.m.Roles, role)

	policies, lost, err := b.resolveCall(st, res, "Policies", res.Properties["Policies"])
	if err != nil || lost {
		return true, err
	}
	if policies != nil {
		list, ok := policies.([]any)
		if !ok {
			return true, propErr(st, res, "Policies", fmt.Errorf("want a list of policies, got %s", intrinsics.DescribeValue(policies)))
		}
		for i, p := range list {
			path := fmt.Sprintf("Policies[%d]", i)
			pv, lost, err := b.resolveCall(st, res, path, p)
			if err != nil {
				return true, err
			}
			if lost || pv == nil {
				continue
			}
			pm, err := asObject(pv)
			if err != nil {
				return true, propErr(st, res, path, err)
			}
			stmts, err := b.policyDocument(st, res, path+".PolicyDocument", pm["PolicyDocument"])
			if err != nil {
				return true, err
			}
			role.Statements = append(role.Statements, stmts...)
		}
	}
	b.warnConditions(st, res, role.Statements)
	if boundary, err := b.str(st, res, "PermissionsBoundary", false); err != nil {
		return true, err
	} else if boundary != "" {
		b.warn(st, res.LogicalID, typeRole, fmt.Sprintf("permissions boundary %s is not evaluated locally: the role's statements apply without it", boundary))
	}
	return true, nil
}

// addPolicy reads an AWS::IAM::Policy or AWS::IAM::ManagedPolicy and attaches its statements
// to the roles its Roles property names. Users and Groups are not followed: no function runs
// as a user.
func (b *builder) addPolicy(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typePolicy && res.Type != typeManagedPolicy {
		return false, nil
	}
	stmts, err := b.policyDocument(st, res, "PolicyDocument", res.Properties["PolicyDocument"])
	if err != nil {
		return true, err
	}
	b.warnConditions(st, res, stmts)
	key := resKey(st, res.LogicalID)
	if res.Type == typeManagedPolicy {
		arn, err := b.managedPolicyARN(st, res)
		if err != nil {
			return true, err
		}
		mp := &managedPolicy{key: key, statements: stmts}
		b.iam.managed[key], b.iam.managed[arn] = mp, mp
	}
	names, err := b.strList(st, res, "Roles")
	if err != nil {
		return true, err
	}
	for _, name := range names {
		role := b.iam.byName[roleKey(st.r.Account(), name)]
		if role == nil {
			b.warn(st, res.LogicalID, res.Type, fmt.Sprintf("role %q is not defined in the assembly: the statements this policy gives it are not known to the runner", name))
			continue
		}
		b.attach(role, key, stmts)
	}
	return true, nil
}

// managedPolicyARN is the ARN AWS gives a customer managed policy: its ManagedPolicyName, or
// the name CloudFormation generates (without the random suffix), under its Path.
func (b *builder) managedPolicyARN(st *stackState, res *assembly.Resource) (string, error) {
	name, err := b.str(st, res, "ManagedPolicyName", false)
	if err != nil {
		return "", err
	}
	if name == "" {
		name = st.s.Name + "-" + res.LogicalID
		if len(name) > 128 {
			name = name[:128]
		}
	}
	path, err := b.str(st, res, "Path", false)
	if err != nil {
		return "", err
	}
	if path == "" {
		path = "/"
	}
	return fmt.Sprintf("arn:%s:iam::%s:policy%s%s", st.r.Partition(), st.r.Account(), path, name), nil
}

// addRoleManagedPolicies attaches the managed policies a role lists in ManagedPolicyArns:
// those the assembly defines, and the AWS managed policies whose statements are known
// (awsManagedPolicy). Any other is a warning: what it grants is unknown here.
func (b *builder) addRoleManagedPolicies(st *stackState, res *assembly.Resource) (bool, error) {
	if res.Type != typeRole {
		return false, nil
	}
	role := b.iam.byID[resKey(st, res.LogicalID)]
	v, lost, err := b.resolveCall(st, res, "ManagedPolicyArns", res.Properties["ManagedPolicyArns"])
	if err != nil || lost || v == nil {
		return true, err
	}
	list, ok := v.([]any)
	if !ok {
		return true, propErr(st, res, "ManagedPolicyArns", fmt.Errorf("want a list of ARNs, got %s", intrinsics.DescribeValue(v)))
	}
	for i, e := range list {
		path := fmt.Sprintf("ManagedPolicyArns[%d]", i)
		// The CDK writes {"Ref": Policy} for a policy of the same stack; Ref gives the ARN in
		// AWS, but the resolver has no ARN for this type, so the reference is followed here.
		if m, ok := e.(map[string]any); ok && isCall(e) {
			ref, _ := m["Ref"].(string)
			if mp := b.iam.managed[resKey(st, ref)]; mp != nil {
				b.attach(role, mp.key, mp.statements)
				continue
			}
		}
		av, lost, err := b.resolveCall(st, res, path, e)
		if err != nil {
			return true, err
		}
		if lost || av == nil {
			continue
		}
		arn, err := asString(av)
		if err != nil {
			return true, propErr(st, res, path, err)
		}
		if mp := b.iam.managed[arn]; mp != nil {
			b.attach(role, mp.key, mp.statements)
		} else if stmts, ok := awsManagedPolicy(arn); ok {
			b.attach(role, arn, stmts)
		} else {
			b.warn(st, res.LogicalID, typeRole, fmt.Sprintf("managed policy %s is neither defined in the assembly nor known to the runner: the role is treated as not having its statements", arn))
		}
	}
	return true, nil
}

func (b *builder) attach(role *Role, policyKey string, stmts []*Statement) {
	k := role.ARN + "\x00" + policyKey
	if b.iam.attached[k] {
		return
	}
	b.iam.attached[k] = true
	role.Statements = append(role.Statements, stmts...)
}

// checkFunctionRoles warns about functions whose execution role the assembly does not define
// (an imported role): the runner cannot know what it allows.
func (b *builder) checkFunctionRoles() {
	for _, f := range b.m.Functions {
		if f.Role == "" || b.iam.byARN[f.Role] != nil {
			continue
		}
		for _, st := range b.stacks {
			if st.s.Name == f.Stack {
				b.warn(st, f.LogicalID, "AWS::Lambda::Function", fmt.Sprintf("execution role %s is not defined in the assembly: what it allows is not known to the runner", f.Role))
				break
			}
		}
	}
}
