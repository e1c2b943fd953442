//! The real binary: commands, output files, exit codes.

mod common;

use common::{demarche, stdout, tmp};

#[test]
fn extract_without_path_runs_on_the_sample() {
    let o = demarche(&["extract"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with(
        "article,party,speaker,stance,issue,target,object,condition,mode,sentence,start,end,evidence,cue,cameo\n"
    ));
    // The sample's central exchange: Russia demands, Ukraine offers on NATO.
    assert!(
        out.lines()
            .any(|l| l.starts_with("putin_no_deal,RUS,,demand,alliance,UKR,"))
    );
    assert!(
        out.lines()
            .any(|l| l.contains(",UKR,Volodymyr Zelenskyy,offer,alliance,"))
    );
}

#[test]
fn matrix_wide_and_long() {
    let o = demarche(&["matrix"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("issue,RUS,UKR,USA"));
    assert!(out.lines().any(|l| l == "alliance,demand,offer; support,"));
    let o = demarche(&["matrix", "--long"]);
    let out = stdout(&o);
    assert!(out.starts_with("article,issue,party,stance,claims\n"));
    assert!(out.lines().any(|l| l == "putin_no_deal,alliance,RUS,demand,1"));
}

#[test]
fn output_file_and_directory_input() {
    let dir = tmp("dir");
    std::fs::write(
        dir.join("b.txt"),
        "Headline\n\nThe Kremlin demanded that Ukraine leave Donbas.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "Headline\n\nUkraine rejected the Russian plan to annex Donbas.\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.odt"), "The Kremlin demanded more.\n").unwrap();
    let out = dir.join("claims.csv");
    let o = demarche(&["extract", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let articles: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(articles.first(), Some(&"a"));
    assert_eq!(articles.last(), Some(&"b"));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_bad_file_does_not_stop_the_batch() {
    let dir = tmp("batch");
    std::fs::write(
        dir.join("good.txt"),
        "Headline\n\nThe Kremlin demanded that Ukraine leave Donbas.\n",
    )
    .unwrap();
    std::fs::write(dir.join("bad.txt"), b"PK\x03\x04\x00\x00 not text").unwrap();
    let o = demarche(&["extract", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("good,RUS,"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.txt: binary file"), "{err}");
}

#[test]
fn bad_lexicon_exits_2_naming_file_and_line() {
    let dir = tmp("lexicon");
    for file in ["parties.csv", "issues.csv", "roles.csv", "members.csv", "cameo.csv"] {
        std::fs::copy(format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR")), dir.join(file)).unwrap();
    }
    std::fs::write(
        dir.join("cues.csv"),
        "stance,pattern,negated,needs,note\ndemand,HOLDER demands OBJECT,,,\ndemnad,HOLDER wants OBJECT,,,\n",
    )
    .unwrap();
    let o = demarche(&["extract", "--lexicon", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cues.csv:3: unknown stance \"demnad\""), "{err}");
}

#[test]
fn missing_input_is_reported() {
    let o = demarche(&["extract", "/nonexistent/article.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/article.txt"));
}

#[test]
fn shipped_data_passes_lexicon_check() {
    let data = format!("{}/data", env!("CARGO_MANIFEST_DIR"));
    let o = demarche(&["lexicon", "check", &data]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).starts_with("ok: "));
}

/// An output path that is a symbolic link is written through: what it
/// points to gets the output whole, and the link stays a link (also when
/// it is relative, and when it dangles).
#[cfg(unix)]
#[test]
fn output_through_a_symbolic_link() {
    use std::os::unix::fs::symlink;
    let dir = tmp("symlink");
    let article = dir.join("a.txt");
    std::fs::write(
        &article,
        "Headline\n\nThe Kremlin demanded that Ukraine leave Donbas.\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/claims.csv"), "old\n").unwrap();
    symlink("real/claims.csv", dir.join("claims.csv")).unwrap();
    symlink(dir.join("real/new.csv"), dir.join("dangling.csv")).unwrap();
    for (link, target) in [("claims.csv", "real/claims.csv"), ("dangling.csv", "real/new.csv")] {
        let o = demarche(&[
            "extract",
            article.to_str().unwrap(),
            "-o",
            dir.join(link).to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            std::fs::symlink_metadata(dir.join(link))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let written = std::fs::read_to_string(dir.join(target)).unwrap();
        assert!(written.starts_with("article,party,"), "{written}");
        assert!(written.contains(",RUS,"), "{written}");
    }
    // No temporary file is left beside the link or its target.
    for d in [dir.to_path_buf(), dir.join("real")] {
        assert!(
            std::fs::read_dir(d)
                .unwrap()
                .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
        );
    }
}
