package dev.llmharness.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;

/**
 * Finds harness annotations in local and anonymous classes. javac hands a processor only the
 * members of top-level and nested classes, so such annotations would be silently ignored: a
 * {@code @Benchmark} method in a local class would never run. This reads the source trees instead
 * (javac's Trees API) and reports each as an error.
 *
 * <p>Method bodies are not attributed while processors run, so an annotation is matched by name:
 * its qualified name, or a simple name that the file imports from {@code dev.llmharness.api}. Off
 * javac (or behind a wrapper of its processing environment, as some build tools use), there are no
 * trees and the check is skipped.
 */
final class UnreachableAnnotations {
    private static final String API_PACKAGE = "dev.llmharness.api";

    private final Trees trees;
    private final Reporter reporter;
    private final Set<CompilationUnitTree> scanned = new HashSet<>();

    private UnreachableAnnotations(Trees trees, Reporter reporter) {
        this.trees = trees;
        this.reporter = reporter;
    }

    /** The check, or {@code null} when the compiler offers no source trees. */
    static UnreachableAnnotations create(ProcessingEnvironment env, Reporter reporter) {
        try {
            return new UnreachableAnnotations(Trees.instance(env), reporter);
        } catch (IllegalArgumentException | LinkageError e) {
            return null;
        }
    }

    /** Scans every compilation unit of the round once. */
    void check(RoundEnvironment round) {
        for (Element root : round.getRootElements()) {
            TreePath path = trees.getPath(root);
            if (path != null && scanned.add(path.getCompilationUnit())) {
                new Scanner(path.getCompilationUnit()).scan(path.getCompilationUnit(), null);
            }
        }
    }

    private final class Scanner extends TreePathScanner<Void, Void> {
        private final CompilationUnitTree unit;
        private final Set<String> explicitImports = new HashSet<>();
        private final Set<String> onDemandImports = new HashSet<>();
        /** The innermost local or anonymous class being scanned, or {@code null} outside one. */
        private String where;

        Scanner(CompilationUnitTree unit) {
            this.unit = unit;
            for (ImportTree i : unit.getImports()) {
                if (i.isStatic()) {
                    continue;
                }
                String name = i.getQualifiedIdentifier().toString();
                if (name.endsWith(".*")) {
                    onDemandImports.add(name.substring(0, name.length() - 2));
                } else {
                    explicitImports.add(name);
                }
            }
            if (unit.getPackageName() != null) {
                onDemandImports.add(unit.getPackageName().toString());
            }
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            Tree parent = getCurrentPath().getParentPath().getLeaf();
            String outer = where;
            if (parent instanceof NewClassTree) {
                where = "an anonymous class";
            } else if (parent.getKind() != Tree.Kind.COMPILATION_UNIT && !(parent instanceof ClassTree)) {
                where = "the local class " + tree.getSimpleName();
            }
            if (where != null) {
                report(tree.getModifiers(), "class " + tree.getSimpleName());
            }
            super.visitClass(tree, unused);
            where = outer;
            return null;
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
            if (where != null) {
                report(tree.getModifiers(), "method " + tree.getName());
            }
            return super.visitMethod(tree, unused);
        }

        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
            if (where != null && getCurrentPath().getParentPath().getLeaf() instanceof ClassTree) {
                report(tree.getModifiers(), "field " + tree.getName());
            }
            return super.visitVariable(tree, unused);
        }

        private void report(ModifiersTree modifiers, String what) {
            for (AnnotationTree annotation : modifiers.getAnnotations()) {
                String name = harnessAnnotation(annotation.getAnnotationType().toString());
                if (name == null) {
                    continue;
                }
                String simple = "@" + name.substring(name.lastIndexOf('.') + 1);
                String message = simple.equals("@Benchmark")
                        ? "@Benchmark " + what + " is in " + where + ", which the generated suite cannot create,"
                                + " so it would never run: move it into a public top-level or static nested class"
                        : simple + " on " + what + " has no effect: it is in " + where + ", and benchmarks are"
                                + " read only from public top-level or static nested classes; move it into one";
                reporter.error(trees, annotation, unit, message);
            }
        }

        /** The qualified name of the harness annotation {@code written} names, or {@code null}. */
        private String harnessAnnotation(String written) {
            for (String ours : harnessAnnotations()) {
                if (written.equals(ours)) {
                    return ours;
                }
                String simple = ours.substring(ours.lastIndexOf('.') + 1);
                if (written.equals(simple)) {
                    boolean imported = explicitImports.contains(ours)
                            || (onDemandImports.contains(API_PACKAGE)
                                    && explicitImports.stream().noneMatch(i -> i.endsWith("." + simple)));
                    return imported ? ours : null;
                }
            }
            return null;
        }
    }

    private static List<String> harnessAnnotations() {
        List<String> all = new java.util.ArrayList<>(Names.CONFIGURATION);
        all.add(Names.BENCHMARK);
        all.add(Names.PARAM);
        return all;
    }
}
