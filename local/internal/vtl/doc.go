// Package vtl is a Velocity Template Language engine with the behaviour of Apache Velocity
// 1.7, the engine behind API Gateway mapping templates. It is pure Go and does no I/O;
// package mappingtemplate adds API Gateway's $input, $util, $context and
// $stageVariables on top of it.
//
// Its behaviour was not guessed: testdata/velocity17.txt holds cases whose expected
// output was recorded from Apache Velocity 1.7 itself (testdata/oracle/regenerate.sh),
// and the engine renders all of them identically, whitespace included.
//
// # Example
//
//	t, err := vtl.Parse("petstore", src) // once; errors say name:line:column
//	...
//	var out bytes.Buffer
//	err = t.Execute(&out, map[string]any{"items": items}) // many times, concurrently
//
// # Values
//
// Templates see nil (null), bool, int64, float64, string, lists and maps. Lists are
// *[List] (growable) or a host's []any (fixed-size: add() fails, set() works); maps are
// *[Map] (insertion-ordered, what map literals and [ParseJSON] make) or a host's
// map[string]any (iterated in sorted key order). Other Go integers and floats, []string
// and map[string]string are converted on access. A host adds its own objects by
// implementing [Object] (and [Setter] for #set($obj.name = ...)). Values print as Java's
// toString does: 1.0 and 1.0E-4 for doubles, {a=1, b=x} for maps, [1, x] for lists; lists
// decoded from JSON print as JSON, as API Gateway prints arrays from $input.path.
// [String] and [JSON] give a host the same text.
//
// # Language
//
// Supported, with Velocity 1.7's semantics:
//
//   - references $x, ${x}, quiet $!x and $!{x}; properties $a.b (map keys, host
//     properties, Java bean getters such as $list.empty); method calls $a.b(args); indexes
//     $a[0], $a[-1] (from the end), $a["key"], $a[$i]; names may contain - and _
//     ($elem.partition-key).
//   - a null reference prints as written ("$missing", "$a.b('x')"); $!ref prints nothing.
//   - literals: 'single' (raw) and "double" strings (a doubled quote is a quote; no
//     backslash escapes except \uXXXX; "text with $refs and #directives" is rendered),
//     integers, floats (1.5, 1., .5, 1e3), true, false, lists [a, b], maps {"k": v},
//     ranges [1..3] and [$a..$b] (descending too). There is no null literal, as in
//     Velocity 1.7 (#set($x = null) is a syntax error there, so it is one here, with a
//     hint): an unset reference such as $null is null.
//   - operators + - * / % (integer division truncates; a string on either side of +
//     concatenates; / and % by zero give null), == != < <= > >= && || ! and the words
//     and or not eq ne lt le gt ge. == compares numbers by value, same-kind values with
//     equals() and others by their text; < and friends compare numbers only.
//   - #set, which leaves its target unchanged when the value is null; #if / #elseif /
//     #else / #end (also #{else}, #{end}); #foreach with $foreach.index, .count, .hasNext,
//     .first, .last, .parent, .topmost, $velocityCount and $velocityHasNext; #break,
//     #break($foreach); #stop; #define; ## and #* *# comments; #[[ unparsed ]]# blocks;
//     escapes \$x (prints $x when $x is set, \$x when not) and \#if.
//   - truth in #if: a reference is true unless null or false (so "" and 0 are true);
//     true, false, comparisons and logic are their value; other literals, interpolated
//     strings and arithmetic are false.
//   - Java methods: on strings length, isEmpty, charAt, contains, startsWith, endsWith,
//     indexOf, lastIndexOf, substring, subSequence, replace, replaceAll, replaceFirst,
//     matches, split, toLowerCase, toUpperCase, trim, equals, equalsIgnoreCase, concat,
//     compareTo, compareToIgnoreCase, hashCode, getBytes, toCharArray, toString (indices
//     count UTF-16 units, as in Java); on lists size, count, isEmpty, get, contains,
//     containsAll, indexOf, lastIndexOf, add, addAll, set, remove, clear, subList; on
//     maps get, getOrDefault, containsKey, containsValue, put, putAll, putIfAbsent,
//     remove, keySet, values, entrySet (entries have key and value), size, isEmpty,
//     clear; on numbers intValue, longValue, doubleValue, floatValue, compareTo; on
//     booleans booleanValue; equals and toString on everything. A call whose arguments do
//     not fit is a missing method: null, printed as written. Java exceptions (an index out
//     of range) stop the template with an [ExecError].
//
// Whitespace follows Velocity 1.7 exactly: #set, #if, #elseif, #foreach and #define
// swallow the spaces and the one newline after their closing parenthesis, and #else and
// #end the ones after themselves; #set also swallows the blanks before it when they begin
// a text run (a second #set on the next line loses its indentation, the first does not);
// ## comments swallow their newline. Indentation before other directives is printed.
//
// # Limits
//
// [Limits] bound an execution, with [DefaultLimits]: a #foreach stops after 1000
// iterations (API Gateway's quota; silently, as Velocity's directive.foreach.maxloops
// does); all loops together may run 1,000,000 iterations, a range may hold 1,000,000
// items, the output and any one string may reach 10 MB (API Gateway's payload limit), the
// strings an execution builds 64 MB in all, evaluation 10,000,000 steps (operations that
// walk big collections count in proportion), and #define blocks and string
// interpolations may nest 64 deep. Parsing nests at most 100 levels. Passing a limit is
// an [ExecError] wrapping [ErrLimit]; output is written only when the template succeeds.
//
// # Differences from Velocity 1.7
//
// Left out, each reported as a parse error naming it: #macro and macro calls, #include,
// #parse, #evaluate, #literal and block macro calls (#@name) — API Gateway templates are
// single templates with no macro library. Also left out: Velocity's event handlers,
// resource loaders and configuration switches (this is Velocity with its defaults, plus
// maxloops 1000).
//
// Deliberately different:
//   - Integer arithmetic that overflows 64 bits is an error (Velocity widens to
//     BigInteger); an integer literal beyond 64 bits is a parse error.
//   - Map keys are strings: {1: "a"}.get("1") finds "a" (Velocity keeps an Integer key).
//   - Regular expressions (replaceAll, replaceFirst, matches, split) run on Go's RE2:
//     lookaround, backreferences and possessive quantifiers are errors naming the
//     pattern; Java replacement syntax ($1, ${name}, \$) is translated.
//   - Arrays from split() print as lists ([a, b]) rather than Java's [Ljava.lang.String;@1f.
//   - #foreach iterates a copy of the items it starts with (Java would fail with
//     ConcurrentModificationException if the loop changed the list's size).
//   - A few lexer accidents of Velocity 1.7 are not reproduced: a lone $ or # glued to a
//     following escape or brace ("#\\$a", "$\$a", "#{#if"), and the syntax error Velocity
//     reports for a #set that follows a reference with only blanks between and assigns a
//     double-quoted string starting with $ ("$a #set($b = "$c")"). The ones real templates
//     meet are reproduced: "$#if(...)" drops the $, "$m.k##x" is text, "5-1" is two numbers
//     and a syntax error, "a\"b" ends at the backslash.
package vtl
