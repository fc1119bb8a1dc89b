// Package reference holds the vocabulary that makes budget disclosures
// comparable: the 政府收支分类科目 (which code is which, and its standard
// name in a given fiscal year) and China's administrative divisions (where
// an agency is). Its data ships inside the module (embed) with its
// provenance (data/README.md); the package imports nothing of budgetpdf's
// and reads no file at run time.
//
// # Classification
//
// System tells which classification a code belongs to from its digits
// alone, as normalize.ClassifyCode does: function (支出功能分类, 201..234),
// econ_dept (部门预算支出经济分类, 301..399), econ_gov (政府预算支出经济分类,
// 501..599), agency (6-digit 单位代码) or project (项目代码). Codes have 3
// (类), 5 (款) or 7 (项) digits.
//
// Name looks up a code's standard name for a fiscal year. Every entry says
// where it came from (Entry.Source): the 类 and 款 were transcribed from
// the published classification (data/classification.tsv, data/sources.tsv);
// the 项, and the few 款 not transcribed, are the consensus of what the
// corpus documents print (data/consensus.tsv, written by
// TestGenerateConsensus -update from a budgetpdf run over the corpus).
// Names changed over the years (207 文化体育与传媒支出 became
// 文化旅游体育与传媒支出 in the 2019 edition): an entry holds for a span of
// fiscal years, and where several hold for a year the one with the
// narrowest span wins, so a 2018 document's 文化体育与传媒支出 is standard
// for 2018. An entry without an end holds for the years no narrower entry
// covers: it is the current edition's name.
//
// SameName compares a printed label with a standard name the way a reader
// does: NFKC, brackets of any width and style, whitespace and a leading
// enumeration (一、 (1) 1.) do not count; every other difference does,
// including a dropped 的 or 支出: 对个人和家庭补助 is not the standard
// 对个人和家庭的补助.
//
// # Agencies and regions
//
// Agency normalises a printed agency name: NFKC, no spaces, and without the
// decorations a document adds to say which part of the agency it covers
// (（本级）, （汇总）, （单位）, （部门）, （机关）). Place finds the region of an
// agency from the GB/T 2260 divisions the name starts with (西安市… ->
// 陕西省 / 西安市, 中共上海市普陀区委… -> 上海市 / 普陀区), helped by the
// document's own words where the name alone is ambiguous (普陀区 is in
// Shanghai and in Zhoushan). Where it stays ambiguous, or the agency is a
// central one (国家信访局), Place says nothing rather than guess.
package reference
