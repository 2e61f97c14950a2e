import Formats
import Foundation

/// Checks, without creating anything, that `folder` is writable or could be created: the
/// check for a command that makes its folder only when it has something to write, so that
/// a run that fails leaves no empty folder behind.
public func ensureFolderCanBeMade(_ folder: String) throws {
    var path = folder.isEmpty ? "." : folder
    while true {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw WorkbookFileError(path: path, problem: "is a file, so \(folder) cannot be made", fix: writableFolderFix)
            }
            guard access(path, W_OK) == 0 else {
                throw WorkbookFileError(path: path == folder ? folder : path, problem: "is not writable", fix: writableFolderFix)
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        path = parent.isEmpty ? "." : parent
    }
}
