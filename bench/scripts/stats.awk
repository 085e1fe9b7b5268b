# Medians and ranges for bench/run. Input: one line per client run,
#   EXP TOOL LABEL C REP STATUS V1 V2 V3
# (STATUS is "ok" or "FAILED"; V1..V3 are numbers, or "-" for a failed run). Output: one line
# per (EXP, TOOL, LABEL, C), in order of first appearance,
#   EXP TOOL LABEL C OK FAILED MED1 MIN1 MAX1 MED2 MIN2 MAX2 MED3 MIN3 MAX3
# over the runs that were ok ("-" when none was). The median of an even count is the mean of
# the middle two. Written for mawk (Debian's awk): no asort, so a small insertion sort.

function sort_values(a, n,    i, j, v) {
  for (i = 2; i <= n; i++) {
    v = a[i]
    for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]
    a[j + 1] = v
  }
}

function summary(key, m,    n, i, a, med) {
  n = count_ok[key]
  if (n == 0) return "- - -"
  for (i = 1; i <= n; i++) a[i] = value[key, m, i] + 0
  sort_values(a, n)
  med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  return sprintf("%.6g %.6g %.6g", med, a[1], a[n])
}

NF >= 9 {
  key = $1 " " $2 " " $3 " " $4
  if (!(key in seen)) {
    seen[key] = 1
    order[++keys] = key
    count_ok[key] = 0
    count_failed[key] = 0
  }
  if ($6 == "ok") {
    n = ++count_ok[key]
    value[key, 1, n] = $7
    value[key, 2, n] = $8
    value[key, 3, n] = $9
  } else {
    count_failed[key]++
  }
}

END {
  for (k = 1; k <= keys; k++) {
    key = order[k]
    print key, count_ok[key], count_failed[key], summary(key, 1), summary(key, 2),
          summary(key, 3)
  }
}
