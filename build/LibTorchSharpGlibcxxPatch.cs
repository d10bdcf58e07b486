// Makes TorchSharp's native library load on systems whose libstdc++ stops before GLIBCXX_3.4.32
// (Debian 12, Ubuntu 22.04). libLibTorchSharp.so asks for that version for exactly one symbol,
// _ZSt21ios_base_library_initv, GCC 13's iostream-initialisation marker that nothing relocates against.
// Marking that one version requirement weak (VER_FLG_WEAK = 0x2 in vna_flags of its .gnu.version_r entry)
// lets the loader accept the library; everything it really uses exists in older libstdc++ (LibTorch needs 3.4.26).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class PatchLibTorchSharpGlibcxx : Task
{
    const string Needed = "GLIBCXX_3.4.32";

    [Required] public string OutputDirectory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !Directory.Exists(OutputDirectory)) return true;
        if (SystemHasVersion()) return true;
        foreach (var lib in Directory.EnumerateFiles(OutputDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            try
            {
                var result = Patch(lib);
                if (result) Log.LogMessage(MessageImportance.High, "Marked " + Needed + " weak in " + lib + " (system libstdc++ lacks it)");
            }
            catch (Exception e)
            {
                Log.LogWarning("Could not patch " + lib + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemHasVersion()
    {
        string[] candidates = {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6" };
        foreach (var c in candidates)
        {
            if (!File.Exists(c)) continue;
            var bytes = File.ReadAllBytes(c);
            var needle = Encoding.ASCII.GetBytes(Needed + "\0");
            return IndexOf(bytes, needle) >= 0;
        }
        return true; // unknown layout: leave the library untouched
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    // Returns true when a flag was changed; false when already weak or not required.
    static bool Patch(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[4] != 2 || b[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            uint type = BitConverter.ToUInt32(b, (int)sh + 4);
            if (type != 0x6ffffffe) continue; // SHT_GNU_verneed
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(b, (int)sh + 0x28);
            long strsh = shoff + (long)link * shentsize;
            long stroff = BitConverter.ToInt64(b, (int)strsh + 0x18);
            long vn = off;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                uint aux = BitConverter.ToUInt32(b, (int)vn + 8);
                uint next = BitConverter.ToUInt32(b, (int)vn + 12);
                long va = vn + aux;
                for (int k = 0; k < cnt; k++)
                {
                    int flagsAt = (int)va + 4;
                    uint name = BitConverter.ToUInt32(b, (int)va + 8);
                    uint vnext = BitConverter.ToUInt32(b, (int)va + 12);
                    if (ReadString(b, stroff + name) == Needed)
                    {
                        ushort flags = BitConverter.ToUInt16(b, flagsAt);
                        if ((flags & 2) != 0) return false;
                        flags |= 2;
                        b[flagsAt] = (byte)(flags & 0xff);
                        b[flagsAt + 1] = (byte)(flags >> 8);
                        var tmp = path + ".patching";
                        File.WriteAllBytes(tmp, b);
                        File.Copy(tmp, path, true);
                        File.Delete(tmp);
                        return true;
                    }
                    if (vnext == 0) break;
                    va += vnext;
                }
                if (next == 0) break;
                vn += next;
            }
        }
        return false;
    }

    static string ReadString(byte[] b, long at)
    {
        int end = (int)at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
