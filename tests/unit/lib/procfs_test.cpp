// The /proc/net/glass table parser (procfs.cpp) against recorded samples.
#include <gtest/gtest.h>
#include <glass/error.hpp>
#include <glass/procfs.hpp>

#include "test_util.hpp"

namespace glass {
namespace {

using test::data;

TEST(Table, NormalTable) {
  const Table t = Table::parse(data("table_normal.txt"), "table_normal.txt",
                               {"local", "remote", "state", "recvq", "sendq"});
  ASSERT_EQ(t.columns().size(), 23u);
  ASSERT_EQ(t.rows().size(), 4u);
  EXPECT_EQ(t.get(t.rows()[0], "state"), "10");
  EXPECT_EQ(t.get(t.rows()[1], "remote"), "10.7.0.2:40001");
  EXPECT_EQ(t.get(t.rows()[1], "sendq"), "4096");
  EXPECT_EQ(t.get(t.rows()[2], "timers"), "delack");
  EXPECT_EQ(t.get(t.rows()[3], "inode"), "10004");
  EXPECT_EQ(t.rows()[0].line, 2u);
  EXPECT_EQ(t.rows()[3].line, 5u);
}

TEST(Table, FindByName) {
  const Table t = Table::parse(data("table_normal.txt"));
  EXPECT_EQ(t.find("local"), 0u);
  EXPECT_EQ(t.find("inode"), 22u);
  EXPECT_FALSE(t.find("nonesuch"));
  EXPECT_THROW(t.index("nonesuch"), ParseError);
}

TEST(Table, MissingRequiredColumn) {
  try {
    Table::parse(data("table_missing_column.txt"), "sample", {"local", "state"});
    FAIL() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "sample:1: missing column 'state' in header");
    EXPECT_EQ(e.line(), 1u);
  }
}

TEST(Table, MissingColumnNotRequiredIsFine) {
  const Table t = Table::parse(data("table_missing_column.txt"), "sample", {"local"});
  EXPECT_EQ(t.rows().size(), 1u);
  EXPECT_FALSE(t.find("state"));
}

TEST(Table, TruncatedRow) {
  try {
    Table::parse(data("table_truncated.txt"), "sample");
    FAIL() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "sample:3: truncated row: 9 fields, header has 23 columns");
    EXPECT_EQ(e.line(), 3u);
  }
}

TEST(Table, RowWithExtraFields) {
  EXPECT_THROW(Table::parse("a b\n1 2 3\n"), ParseError);
}

TEST(Table, FutureExtraColumn) {
  const Table t = Table::parse(data("table_extra_column.txt"), "sample",
                               {"local", "remote", "state", "recvq", "sendq"});
  ASSERT_EQ(t.rows().size(), 2u);
  EXPECT_EQ(t.columns().back(), "zero_wnd_sent");
  EXPECT_EQ(t.get(t.rows()[0], "zero_wnd_sent"), "3");
  EXPECT_EQ(t.get(t.rows()[0], "inode"), "10002");
}

TEST(Table, EmptyTable) {
  const Table t = Table::parse(data("table_empty.txt"), "sample", {"local"});
  EXPECT_EQ(t.columns().size(), 23u);
  EXPECT_TRUE(t.rows().empty());
}

TEST(Table, EmptyFileHasNoHeader) {
  EXPECT_THROW(Table::parse("", "sample"), ParseError);
  EXPECT_THROW(Table::parse("\n\n", "sample"), ParseError);
}

TEST(Table, BlankLinesAndNoTrailingNewline) {
  const Table t = Table::parse("a b\n\n1 2\n  \n3 4");
  ASSERT_EQ(t.rows().size(), 2u);
  EXPECT_EQ(t.rows()[1].line, 5u);
  EXPECT_EQ(t.get(t.rows()[1], "b"), "4");
}

TEST(Table, ReadsFile) {
  const Table t = Table::read(test::data_path("table_normal.txt"), {"local"});
  EXPECT_EQ(t.rows().size(), 4u);
}

}  // namespace
}  // namespace glass
