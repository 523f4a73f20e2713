# Per-file pass/fail counts from a `bun test` log: prints "<file> <passed> <failed>" for every test file.
# Bun prints "path/to/x.test.ts:" before a file's results; the closing "N tests failed:" list repeats failures.
/^[^ (].*\.test\.tsx?:$/ { file = substr($0, 1, length($0) - 1); seen[file] = 1; next }
/^[0-9]+ tests? failed:$/ { file = ""; next }
/^\(pass\)/ { if (file != "") pass[file]++ }
/^\(fail\)/ { if (file != "") fail[file]++ }
END { for (f in seen) printf "%s %d %d\n", f, pass[f], fail[f] }
