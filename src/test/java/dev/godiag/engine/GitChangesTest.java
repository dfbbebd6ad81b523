package dev.godiag.engine;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Added line ranges from git's unified diff with no context, as git prints it. */
class GitChangesTest {
    @Test
    void hunksGiveTheAddedLinesOfTheNewFile() throws Exception {
        String diff = """
                diff --git a/api/handler.go b/api/handler.go
                index 1111111..2222222 100644
                --- a/api/handler.go
                +++ b/api/handler.go
                @@ -12 +12,3 @@ func handle() {
                -	old()
                +	a()
                +++ b/looks-like-a-header.go
                +	c()
                @@ -40,2 +42,0 @@ func other() {
                -	gone()
                -	gone()
                @@ -50,0 +51 @@ func last() {
                +	added()
                diff --git a/old.go b/old.go
                deleted file mode 100644
                --- a/old.go
                +++ /dev/null
                @@ -1 +0,0 @@
                -package x
                diff --git "a/we\\"ird.go" "b/we\\"ird.go"
                --- "a/we\\"ird.go"
                +++ "b/we\\"ird.go"
                @@ -0,0 +1,2 @@
                +package x
                +
                """;
        Map<String, List<int[]>> added = GitChanges.parse(new BufferedReader(new StringReader(diff)));
        // an added line reading "++ b/looks-like-a-header.go" is content, not a file header
        assertThat(added.keySet()).containsExactlyInAnyOrder("api/handler.go", "we\"ird.go");
        assertThat(added.get("api/handler.go")).containsExactly(new int[]{12, 14}, new int[]{51, 51});
        assertThat(added.get("we\"ird.go")).containsExactly(new int[]{1, 2});
    }
}
