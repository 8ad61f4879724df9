package local

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatehouse-dev/gatehouse/local/internal/authorizer"
	"github.com/gatehouse-dev/gatehouse/local/internal/jwtverify"
	"github.com/gatehouse-dev/gatehouse/local/internal/lambdahost"
	"github.com/gatehouse-dev/gatehouse/local/internal/model"
)

// credentialsSession is the session name of the role credentials the runner issues: the
// principal AWS would name is arn:aws:sts::ACCOUNT:assumed-role/ROLE/gatehouse.
const credentialsSession = "gatehouse"

// roleKeys are the credentials the runner issues for the assembly's IAM roles, so that a
// client can call routes and methods with AWS_IAM authorization as a caller holding that role.
//
// They are derived from the account and the role's ARN (or stack and logical id) with
// SHA-256, like the credentials the Lambda host gives functions: the same role gets the same
// keys on every run and every machine, so a test or a shell profile can keep them. They are
// worthless anywhere but this runner.
type roleKeys struct {
	byKey  map[string]*authorizer.Principal
	byRole map[*model.Role]*authorizer.Principal
	roles  []*model.Role
}

func newRoleKeys(m *model.Model) *roleKeys {
	k := &roleKeys{byKey: map[string]*authorizer.Principal{}, byRole: map[*model.Role]*authorizer.Principal{}, roles: m.Roles}
	for _, role := range m.Roles {
		p := rolePrincipal(m.Account, role)
		k.byKey[p.AccessKeyID] = p
		k.byRole[role] = p
	}
	return k
}

// roleIdentity is what names a role in derivations and messages: its ARN, or, for a role
// whose ARN did not resolve, its stack and logical id.
func roleIdentity(role *model.Role) string {
	if role.ARN != "" {
		return role.ARN
	}
	return role.Stack + "/" + role.LogicalID
}

// roleName is the role's name: the ARN's last path segment, else its logical id.
func roleName(role *model.Role) string {
	if i := strings.LastIndex(role.ARN, ":role/"); i >= 0 {
		name := role.ARN[i+len(":role/"):]
		return name[strings.LastIndexByte(name, '/')+1:]
	}
	return role.LogicalID
}

// uniqueID is an IAM role's unique id (AROA…), derived like its keys.
func uniqueID(account, roleID string) string {
	h := sha256.Sum256([]byte("gatehouse role id\x00" + account + "\x00" + roleID))
	return "AROA" + base32.StdEncoding.EncodeToString(h[:])[:17]
}

func rolePrincipal(account string, role *model.Role) *authorizer.Principal {
	id := roleIdentity(role)
	sum := func(label string) []byte {
		h := sha256.Sum256([]byte("gatehouse role credentials\x00" + label + "\x00" + account + "\x00" + id))
		return h[:]
	}
	partition := "aws"
	if parts := strings.SplitN(role.ARN, ":", 3); len(parts) == 3 && parts[1] != "" {
		partition = parts[1]
	}
	return &authorizer.Principal{
		// "ASIA" marks temporary (STS) keys, which an assumed role's are.
		AccessKeyID:  "ASIA" + base32.StdEncoding.EncodeToString(sum("id"))[:16],
		Secret:       base64.StdEncoding.EncodeToString(sum("secret")[:30]),
		SessionToken: base64.StdEncoding.EncodeToString(append(sum("token1"), sum("token2")...)),
		ARN:          fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", partition, account, roleName(role), credentialsSession),
		AccountID:    account,
		UserID:       uniqueID(account, id) + ":" + credentialsSession,
		Statements:   role.Statements,
	}
}

// find resolves a role by logical id, name or ARN; a logical id shared by roles of two
// stacks must be given as STACK/LOGICALID.
func (k *roleKeys) find(name string) (*model.Role, error) {
	var found []*model.Role
	for _, role := range k.roles {
		if role.ARN == name || role.Stack+"/"+role.LogicalID == name {
			return role, nil
		}
		if role.LogicalID == name || roleName(role) == name {
			found = append(found, role)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("role %q: the assembly has no such IAM role (it has %s)", name, roleList(k.roles))
	default:
		return nil, fmt.Errorf("role %q is ambiguous: name one of %s", name, roleList(found))
	}
}

func roleList(roles []*model.Role) string {
	if len(roles) == 0 {
		return "none"
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Stack + "/" + r.LogicalID
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// credentials are the keys issued for the named role.
func (k *roleKeys) credentials(name string) (aws.Credentials, error) {
	role, err := k.find(name)
	if err != nil {
		return aws.Credentials{}, err
	}
	p := k.byRole[role]
	return aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.Secret, SessionToken: p.SessionToken, Source: "gatehouse " + roleIdentity(role)}, nil
}

// Credentials are the AWS credentials the runner issues for an IAM role of the assembly
// (named by logical id, role name, ARN, or STACK/LOGICALID). A request signed with them (SigV4,
// service execute-api) to a route or method with AWS_IAM authorization is allowed when the
// role's policies in the template allow execute-api:Invoke on it, and refused with AWS's 403
// otherwise. They are the same on every run: derived from the account and the role's ARN.
func (r *Runner) Credentials(role string) (aws.Credentials, error) {
	return r.roleKeys.credentials(role)
}

// Credentials loads the assembly and returns the credentials a runner serving it issues for
// role, without starting anything (`gatehouse credentials ROLE`).
func Credentials(opts Options, role string) (aws.Credentials, error) {
	opts = opts.withDefaults()
	m, err := loadModel(opts)
	if err != nil {
		return aws.Credentials{}, err
	}
	return newRoleKeys(m).credentials(role)
}

// principal finds who holds an access key: a role the runner issued credentials for, or a
// function (its execution role's session, with the keys the Lambda host gave it).
func (r *Runner) principal(accessKeyID string) (*authorizer.Principal, bool) {
	if p, ok := r.roleKeys.byKey[accessKeyID]; ok {
		return p, true
	}
	if r.host == nil {
		return nil, false
	}
	f, ok := r.host.Function(accessKeyID)
	if !ok {
		return nil, false
	}
	_, secret, token, ok := r.host.Credentials(f.Name)
	if !ok {
		return nil, false
	}
	statements, arn := r.roleOf(f)
	roleID := f.Role
	if roleID == "" {
		roleID = f.Stack + "/" + f.RoleLogicalID
	}
	return &authorizer.Principal{
		AccessKeyID: accessKeyID, Secret: secret, SessionToken: token,
		ARN: arn, AccountID: r.model.Account, UserID: uniqueID(r.model.Account, roleID) + ":" + f.Name,
		Statements: statements,
	}, true
}

// newAuthorizers prepares one API's authorizers, and warns once for each JWT or Cognito
// authorizer whose issuer has no keys: its routes will refuse every token.
func newAuthorizers(api *model.API, m *model.Model, inv lambdahost.Invoker, jwks *jwtverify.Store, principals func(string) (*authorizer.Principal, bool), log *slog.Logger) (*authorizer.Set, error) {
	set, err := authorizer.New(api, authorizer.Options{
		Account: m.Account, Region: m.Region, Logger: log, Invoker: inv, JWKS: jwks, Principals: principals,
	})
	if err != nil {
		return nil, fmt.Errorf("stack %q: API %q: %w", api.Stack, api.LogicalID, err)
	}
	ids := make([]string, 0, len(api.Authorizers))
	for id := range api.Authorizers {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a := api.Authorizers[id]
		issuers := a.Issuers
		if a.Type == model.AuthorizerJWT {
			issuers = []string{a.Issuer}
		}
		if a.Type != model.AuthorizerJWT && a.Type != model.AuthorizerCognito {
			continue
		}
		for _, iss := range issuers {
			if iss != "" && (jwks == nil || !jwks.Has(iss)) {
				log.Warn(fmt.Sprintf("authorizer %s of API %s has no keys for issuer %s: every token will be refused; start with --jwks %s=FILE (Options.JWKS)", id, api.LogicalID, iss, iss),
					"stack", api.Stack, "api", api.LogicalID, "authorizer", id)
			}
		}
	}
	return set, nil
}
